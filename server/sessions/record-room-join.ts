import { eq } from 'drizzle-orm';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { sessionParticipants } from '../db/schema.ts';
import type { Participant, RoomIdentity, RoomSession } from './participant-of.ts';

/** Joins of one person this close together are one visit: a reload, a second tab, a network change. */
export const SAME_VISIT_MS = 2 * 60_000;

/**
 * Someone comes into a session's room (the socket's `room:join`; opening the page, which any link
 * can make a browser do, records nothing): a `session.joined` event with their address, and their
 * last join time. Nothing within SAME_VISIT_MS of their last recorded join, so that the first
 * entry after an accepted PIN (recorded as the join already) or two tabs opened at once make one
 * event. Returns whether it recorded one.
 */
export async function recordRoomJoin(
	app: { db: Db },
	{ participant, session }: { participant: Participant; session: RoomSession },
	identity: RoomIdentity,
	ip: string | null,
	now = new Date()
): Promise<boolean> {
	return app.db.transaction(async (tx) => {
		// The row is held until the event is written, so that joins at the same moment queue up and see each other.
		const [row] = await tx
			.select({ lastJoinedAt: sessionParticipants.lastJoinedAt })
			.from(sessionParticipants)
			.where(eq(sessionParticipants.id, participant.id))
			.for('update');
		if (row?.lastJoinedAt && now.getTime() - row.lastJoinedAt.getTime() < SAME_VISIT_MS) return false;
		await tx.update(sessionParticipants).set({ lastJoinedAt: now }).where(eq(sessionParticipants.id, participant.id));
		const who = 'actor' in identity ? { actorId: identity.actor.id } : { actorLabel: participant.displayName };
		await recordCaseEvent(tx, {
			...who,
			caseId: session.caseId,
			action: 'session.joined',
			data: {
				sessionId: session.id,
				participantId: participant.id,
				role: participant.role,
				via: 'actor' in identity ? 'account' : 'invitation'
			},
			ip
		});
		return true;
	});
}
