import { and, asc, eq } from 'drizzle-orm';
import type { SignerRole } from '#shared/signing.ts';
import type { Db } from '../../db/client.ts';
import { caseExperts, caseMediators, caseParties, sessionParticipants, users } from '../../db/schema.ts';
import { findJoin, type RoomIdentity } from '../../sessions/participant-of.ts';

/** Someone who may sign a case's agreement. */
export type CaseSigner = { key: string; name: string; role: SignerRole };

/** How a signer proves it is them: their account's password, or the PIN of the invitation they came with. */
export type SignerIdentity = CaseSigner &
	({ proof: 'password'; passwordHash: string } | { proof: 'pin'; participantId: string; pinHash: string });

const partyKey = (casePartyId: string) => `party:${casePartyId}`;
const userKey = (userId: string) => `user:${userId}`;

/** Everyone who may sign, in the order the agreement lists them: parties, mediators, legal experts. */
export async function caseSigners(db: Db, caseId: string): Promise<CaseSigner[]> {
	const [parties, mediators, experts] = await Promise.all([
		db
			.select({ id: caseParties.id, name: caseParties.name })
			.from(caseParties)
			.where(eq(caseParties.caseId, caseId))
			.orderBy(asc(caseParties.side), asc(caseParties.createdAt)),
		db
			.select({ id: users.id, name: users.displayName })
			.from(caseMediators)
			.innerJoin(users, eq(users.id, caseMediators.userId))
			.where(eq(caseMediators.caseId, caseId))
			.orderBy(asc(caseMediators.createdAt)),
		db
			.select({ id: users.id, name: users.displayName })
			.from(caseExperts)
			.innerJoin(users, eq(users.id, caseExperts.userId))
			.where(eq(caseExperts.caseId, caseId))
			.orderBy(asc(caseExperts.createdAt))
	]);
	return [
		...parties.map((p) => ({ key: partyKey(p.id), name: p.name, role: 'party' as const })),
		...mediators.map((u) => ({ key: userKey(u.id), name: u.name, role: 'mediator' as const })),
		...experts.map((u) => ({ key: userKey(u.id), name: u.name, role: 'expert' as const }))
	];
}

/**
 * Which of the case's signers `identity` is, with what proves it, or null: a party by their
 * account or by an invitation to one of the case's sessions as that party; an assigned mediator
 * or invited legal expert by their account.
 */
export async function signerFor(db: Db, identity: RoomIdentity, caseId: string): Promise<SignerIdentity | null> {
	const signers = await caseSigners(db, caseId);
	if ('actor' in identity) {
		const [account] = await db
			.select({ passwordHash: users.passwordHash })
			.from(users)
			.where(eq(users.id, identity.actor.id));
		if (!account) return null;
		const [party] = await db
			.select({ id: caseParties.id })
			.from(caseParties)
			.where(and(eq(caseParties.caseId, caseId), eq(caseParties.userId, identity.actor.id)));
		const key = party ? partyKey(party.id) : userKey(identity.actor.id);
		const signer = signers.find((s) => s.key === key);
		return signer ? { ...signer, proof: 'password', passwordHash: account.passwordHash } : null;
	}
	const join = await findJoin(db, identity.joinToken);
	if (!join) return null;
	const [participant] = await db
		.select({
			id: sessionParticipants.id,
			casePartyId: sessionParticipants.casePartyId,
			pinHash: sessionParticipants.pinHash
		})
		.from(sessionParticipants)
		.where(eq(sessionParticipants.id, join.participantId));
	const signer = participant?.casePartyId && signers.find((s) => s.key === partyKey(participant.casePartyId!));
	if (!signer || !participant.pinHash) return null;
	return { ...signer, proof: 'pin', participantId: participant.id, pinHash: participant.pinHash };
}
