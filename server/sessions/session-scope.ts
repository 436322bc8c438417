import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { findVisibleCase, type CaseRow } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { mediationSessions, sessionParticipants } from '../db/schema.ts';

export type SessionRow = typeof mediationSessions.$inferSelect;
export type ParticipantRow = typeof sessionParticipants.$inferSelect;

/**
 * A session of a case the actor may see; anything else is not found. With
 * `lock` (in a transaction) the case and then the session are held until
 * commit, the order every change to a session takes them in.
 */
export async function findCaseSession(
	tx: Db,
	actor: Actor,
	caseId: string,
	sessionId: string,
	lock = false
): Promise<{ caseRow: CaseRow; session: SessionRow }> {
	const caseRow = await findVisibleCase(tx, actor, caseId, lock);
	const query = tx
		.select()
		.from(mediationSessions)
		.where(and(eq(mediationSessions.id, sessionId), eq(mediationSessions.caseId, caseId)));
	const [session] = lock ? await query.for('update') : await query;
	if (!session) throw new AppError('NOT_FOUND');
	return { caseRow, session };
}

/** A participant of a session of a case the actor may see, locked like `findCaseSession` and then the participant. */
export async function findCaseParticipant(
	tx: Db,
	actor: Actor,
	caseId: string,
	participantId: string,
	lock = false
): Promise<{ caseRow: CaseRow; session: SessionRow; participant: ParticipantRow }> {
	const [found] = await tx
		.select({ sessionId: sessionParticipants.sessionId })
		.from(sessionParticipants)
		.where(eq(sessionParticipants.id, participantId));
	if (!found) throw new AppError('NOT_FOUND');
	const { caseRow, session } = await findCaseSession(tx, actor, caseId, found.sessionId, lock);
	const query = tx.select().from(sessionParticipants).where(eq(sessionParticipants.id, participantId));
	const [participant] = lock ? await query.for('update') : await query;
	return { caseRow, session, participant };
}

/** The actor as a mediator taking part in the session (its host), or FORBIDDEN. */
export async function findSessionHost(tx: Db, sessionId: string, actor: Actor): Promise<ParticipantRow> {
	const [host] = await tx
		.select()
		.from(sessionParticipants)
		.where(
			and(
				eq(sessionParticipants.sessionId, sessionId),
				eq(sessionParticipants.userId, actor.id),
				eq(sessionParticipants.role, 'mediator')
			)
		);
	if (!host) throw new AppError('FORBIDDEN');
	return host;
}
