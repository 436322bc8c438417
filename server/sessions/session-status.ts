import { and, eq, inArray } from 'drizzle-orm';
import type { CaseEventType } from '#shared/case-events.ts';
import type { SessionStatus } from '#shared/sessions.ts';
import type { AppCore } from '../app.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { mediationSessions } from '../db/schema.ts';
import type { Participant, RoomSession } from './participant-of.ts';

/** The first mediator in the room starts a scheduled session. Returns whether this call did. */
export function markSessionLive(app: AppCore, session: RoomSession, by: Participant, ip: string | null) {
	return moveSession(app, session, by, ip, { from: ['scheduled'], to: 'live', action: 'session.started' });
}

/** A mediator closes the session: nobody joins it again. Returns whether this call did. */
export function endSession(app: AppCore, session: RoomSession, by: Participant, ip: string | null) {
	return moveSession(app, session, by, ip, { from: ['scheduled', 'live'], to: 'ended', action: 'session.ended' });
}

/** Moves the session on, with its audit event, unless another call already did. */
async function moveSession(
	app: AppCore,
	session: RoomSession,
	by: Participant,
	ip: string | null,
	move: { from: SessionStatus[]; to: SessionStatus; action: CaseEventType }
): Promise<boolean> {
	return app.db.transaction(async (tx) => {
		const moved = await tx
			.update(mediationSessions)
			.set({ status: move.to, updatedAt: new Date() })
			.where(and(eq(mediationSessions.id, session.id), inArray(mediationSessions.status, move.from)))
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
		return true;
	});
}
