import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { SignerRole } from '#shared/signing.ts';
import type { DraftTarget } from '../../agreements/draft-role.ts';
import type { Db } from '../../db/client.ts';
import {
	caseExperts,
	caseMediators,
	caseParties,
	mediationSessions,
	sessionAttendance,
	sessionParticipants,
	users
} from '../../db/schema.ts';
import { findJoin, type RoomIdentity } from '../../sessions/participant-of.ts';

/** Someone who may sign a case's agreement or a session's record. */
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
 * Who signs a session's record, in the order it lists them: the parties who were there (online or
 * in person), the session's mediators, and its recorder.
 */
export async function recordSigners(db: Db, sessionId: string): Promise<CaseSigner[]> {
	const [[session], present, mediators] = await Promise.all([
		db
			.select({ recorderId: mediationSessions.recorderId, recorder: users.displayName })
			.from(mediationSessions)
			.leftJoin(users, eq(users.id, mediationSessions.recorderId))
			.where(eq(mediationSessions.id, sessionId)),
		db
			.selectDistinct({ id: caseParties.id, name: caseParties.name, side: caseParties.side })
			.from(sessionAttendance)
			.innerJoin(sessionParticipants, eq(sessionParticipants.id, sessionAttendance.participantId))
			.innerJoin(caseParties, eq(caseParties.id, sessionParticipants.casePartyId))
			.where(eq(sessionAttendance.sessionId, sessionId))
			.orderBy(asc(caseParties.side), asc(caseParties.name)),
		db
			.select({ id: users.id, name: users.displayName })
			.from(sessionParticipants)
			.innerJoin(users, eq(users.id, sessionParticipants.userId))
			.where(
				and(
					eq(sessionParticipants.sessionId, sessionId),
					eq(sessionParticipants.role, 'mediator'),
					isNotNull(sessionParticipants.userId)
				)
			)
			.orderBy(asc(sessionParticipants.createdAt))
	]);
	const recorderId = session?.recorderId ?? null;
	return [
		...present.map((p) => ({ key: partyKey(p.id), name: p.name, role: 'party' as const })),
		...mediators
			.filter((u) => u.id !== recorderId)
			.map((u) => ({ key: userKey(u.id), name: u.name, role: 'mediator' as const })),
		...(recorderId ? [{ key: userKey(recorderId), name: session.recorder ?? '', role: 'recorder' as const }] : [])
	];
}

/** Who signs the draft: the case's agreement, or a session's record. */
export function draftSigners(db: Db, draft: DraftTarget): Promise<CaseSigner[]> {
	return draft.sessionId ? recordSigners(db, draft.sessionId) : caseSigners(db, draft.caseId);
}

/**
 * Which of the draft's signers `identity` is, with what proves it, or null: a party by their
 * account or by an invitation to one of the case's sessions as that party; a mediator, invited
 * legal expert or recorder by their account.
 */
export async function signerFor(db: Db, identity: RoomIdentity, draft: DraftTarget): Promise<SignerIdentity | null> {
	const signers = await draftSigners(db, draft);
	const caseId = draft.caseId;
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
