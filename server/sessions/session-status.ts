import { and, eq, inArray } from 'drizzle-orm';
import type { CaseEventType } from '#shared/case-events.ts';
import { canTransition } from '#shared/cases.ts';
import { SESSION_TRANSITIONS, type SessionTransition } from '#shared/sessions.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { applyTransition } from '../cases/transition-case.ts';
import type { Db } from '../db/client.ts';
import { cases, mediationSessions } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Participant, RoomSession } from './participant-of.ts';
import { closeAttendance } from './session-attendance.ts';

/**
 * The first host in the room starts a scheduled session; a mediation going live puts its case
 * in mediation, credited to whoever opened it. Returns whether this call did.
 */
export async function markSessionLive(
	app: { db: Db; events: DomainEvents },
	session: RoomSession,
	by: Participant,
	ip: string | null
): Promise<boolean> {
	const started = await moveSession(app, session, by, ip, {
		transition: 'start',
		action: 'session.started',
		then: (tx) => (session.kind === 'mediation' ? startMediation(tx, session.caseId, by, ip) : Promise.resolve())
	});
	if (started)
		await app.events.emit('session.started', { caseId: session.caseId, sessionId: session.id, kind: session.kind });
	return started;
}

/** A mediator closes the session: nobody joins it again. Returns whether this call did. */
export async function endSession(
	app: { db: Db; events: DomainEvents },
	session: RoomSession,
	by: Participant,
	ip: string | null
): Promise<boolean> {
	const ended = await moveSession(app, session, by, ip, {
		transition: 'end',
		action: 'session.ended',
		// Whoever is still there leaves with the session's end, as its record's attendance shows.
		then: (tx) => closeAttendance(tx, session.id)
	});
	if (ended) await app.events.emit('session.ended', { caseId: session.caseId, sessionId: session.id });
	return ended;
}

/** A case waiting for its mediation is now in it; one already further along stays where it is. */
async function startMediation(tx: Db, caseId: string, by: Participant, ip: string | null): Promise<void> {
	const [row] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('no key update');
	if (!canTransition(row.status, 'start')) return;
	const actor = by.userId ? { actorId: by.userId } : { actorLabel: by.displayName };
	await applyTransition(tx, row, { transition: 'start' }, actor, ip, new Date());
}

/** Moves the session on, with its audit event (and what follows from it), unless another call already did. */
async function moveSession(
	app: { db: Db },
	session: RoomSession,
	by: Participant,
	ip: string | null,
	move: { transition: SessionTransition; action: CaseEventType; then?: (tx: Db) => Promise<void> }
): Promise<boolean> {
	const { from, to } = SESSION_TRANSITIONS[move.transition];
	return app.db.transaction(async (tx) => {
		const moved = await tx
			.update(mediationSessions)
			.set({ status: to, updatedAt: new Date() })
			.where(and(eq(mediationSessions.id, session.id), inArray(mediationSessions.status, from)))
			.returning({ id: mediationSessions.id });
		if (!moved.length) return false;
		await recordCaseEvent(tx, {
			caseId: session.caseId,
			actorId: by.userId,
			actorLabel: by.displayName,
			action: move.action,
			data: { sessionId: session.id, participantId: by.id },
			ip
		});
		await move.then?.(tx);
		return true;
	});
}
