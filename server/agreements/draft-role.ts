import { and, eq } from 'drizzle-orm';
import type { DraftRole } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import type { DraftKind } from '#shared/mediation-record.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, mediationSessions, sessionParticipants } from '../db/schema.ts';
import { findJoin, type RoomIdentity } from '../sessions/participant-of.ts';

/** Who writes, in the draft's records: an account or an invitation, and the name shown. */
export type DraftAuthor = { key: string; name: string };

/** Who acts on a draft, as its audit events record them: the author, their account if any, and their address. */
export type DraftActor = { author: DraftAuthor; userId: string | null; ip: string | null };

/** Which draft: the case's agreement, or the record of one of its sessions. */
export type DraftTarget = { caseId: string; kind: DraftKind; sessionId: string | null };

/** What each account role is to a draft of each kind: a record is written on the committee's side only. */
const ACCOUNT_ROLES: Record<DraftKind, Partial<Record<string, DraftRole>>> = {
	agreement: { mediator: 'mediator', legal_expert: 'expert', party: 'party', admin: 'reader' },
	mediation_record: { mediator: 'mediator', legal_expert: 'reader', party: 'reader', admin: 'reader' }
};

/** The session's recorder, unless they are also one of the case's own mediators, who run the record. */
async function isRecorderOf(db: Db, target: DraftTarget, userId: string): Promise<boolean> {
	if (target.kind !== 'mediation_record' || !target.sessionId) return false;
	const [session] = await db
		.select({ recorderId: mediationSessions.recorderId })
		.from(mediationSessions)
		.where(eq(mediationSessions.id, target.sessionId));
	if (session?.recorderId !== userId) return false;
	const [assigned] = await db
		.select({ userId: caseMediators.userId })
		.from(caseMediators)
		.where(and(eq(caseMediators.caseId, target.caseId), eq(caseMediators.userId, userId)));
	return !assigned;
}

/**
 * Who someone is to a draft. Accounts by the case they may see: its committee's mediators run the
 * draft; on the agreement invited legal experts write, its parties suggest and admins read; a
 * session's record is written by the mediators and the session's recorder and read by everyone
 * else. Grid workers have no part in either. Someone invited to a session of the case without an
 * account is a party or an observer, as invited, and reads a record; an invitation to another
 * case's session is FORBIDDEN.
 */
export async function draftRoleOf(
	db: Db,
	identity: RoomIdentity,
	target: DraftTarget
): Promise<{ role: DraftRole; author: DraftAuthor }> {
	if ('actor' in identity) {
		const { actor } = identity;
		await findVisibleCase(db, actor, target.caseId);
		const author = { key: `user:${actor.id}`, name: actor.displayName };
		if (await isRecorderOf(db, target, actor.id)) return { role: 'recorder', author };
		const role = ACCOUNT_ROLES[target.kind][actor.role];
		if (!role) throw new AppError('FORBIDDEN');
		return { role, author };
	}
	const join = await findJoin(db, identity.joinToken);
	if (!join) throw new AppError('UNAUTHENTICATED');
	const [participant] = await db
		.select({
			id: sessionParticipants.id,
			role: sessionParticipants.role,
			name: sessionParticipants.displayName,
			caseId: mediationSessions.caseId
		})
		.from(sessionParticipants)
		.innerJoin(mediationSessions, eq(mediationSessions.id, sessionParticipants.sessionId))
		.where(eq(sessionParticipants.id, join.participantId));
	if (!participant || participant.caseId !== target.caseId) throw new AppError('FORBIDDEN');
	const author = { key: `participant:${participant.id}`, name: participant.name };
	const suggests = target.kind === 'agreement' && participant.role === 'party';
	return { role: suggests ? 'party' : 'reader', author };
}
