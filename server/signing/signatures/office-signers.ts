import { and, desc, eq } from 'drizzle-orm';
import type { InPersonSignerView } from '#shared/signing.ts';
import type { Db } from '../../db/client.ts';
import { caseParties, mediationSessions, sessionAttendance, sessionParticipants, users } from '../../db/schema.ts';
import type { CaseSigner, SignerIdentity } from './case-signers.ts';

/**
 * How a signer present in the office proves it is them on the mediator's device: the password of
 * their account if they have one, else the PIN of the invitation to the session they were marked
 * present at (its wrong tries count against it, as at joining); null with neither.
 */
export type OfficeSigner = CaseSigner & { identity: SignerIdentity | null };

/**
 * The case's signers the mediator marked present in the office at one of its sessions. A party is
 * present through their participant row, anyone with an account through theirs; the newest mark
 * counts, and a revoked invitation proves nothing.
 */
export async function officeSigners(db: Db, caseId: string, signers: CaseSigner[]): Promise<OfficeSigner[]> {
	const marked = await db
		.select({
			participantId: sessionParticipants.id,
			casePartyId: sessionParticipants.casePartyId,
			userId: sessionParticipants.userId,
			partyUserId: caseParties.userId,
			pinHash: sessionParticipants.pinHash,
			revokedAt: sessionParticipants.revokedAt
		})
		.from(sessionAttendance)
		.innerJoin(sessionParticipants, eq(sessionParticipants.id, sessionAttendance.participantId))
		.innerJoin(mediationSessions, eq(mediationSessions.id, sessionAttendance.sessionId))
		.leftJoin(caseParties, eq(caseParties.id, sessionParticipants.casePartyId))
		.where(and(eq(mediationSessions.caseId, caseId), eq(sessionAttendance.presence, 'in_person')))
		.orderBy(desc(sessionAttendance.joinedAt));
	const present: OfficeSigner[] = [];
	for (const signer of signers) {
		const mark = marked.find((m) =>
			m.casePartyId ? signer.key === `party:${m.casePartyId}` : signer.key === `user:${m.userId}`
		);
		if (!mark) continue;
		const accountId = mark.casePartyId ? mark.partyUserId : mark.userId;
		const [account] = accountId
			? await db
					.select({ passwordHash: users.passwordHash })
					.from(users)
					.where(and(eq(users.id, accountId), eq(users.active, true)))
			: [];
		const identity: SignerIdentity | null = account
			? { ...signer, proof: 'password', passwordHash: account.passwordHash }
			: mark.pinHash && !mark.revokedAt
				? { ...signer, proof: 'pin', participantId: mark.participantId, pinHash: mark.pinHash }
				: null;
		present.push({ ...signer, identity });
	}
	return present;
}

/** What the mediator's device shows of those present who have yet to sign: never a hash. */
export function officeSignerViews(present: OfficeSigner[], signed: Set<string>): InPersonSignerView[] {
	return present
		.filter((signer) => !signed.has(signer.key))
		.map(({ key, name, role, identity }) => ({
			key,
			name,
			role,
			proof: identity?.proof ?? null,
			attestable: role === 'party'
		}));
}
