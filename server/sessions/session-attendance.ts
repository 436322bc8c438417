import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessionAttendance } from '../db/schema.ts';
import { SAME_VISIT_MS } from './record-room-join.ts';

/**
 * Who was in a session's room and when, as the room saw it: each stay from one's own device is an
 * `online` row, opened on arrival and closed on leaving. A return soon after dropping (a reload, a
 * network change) continues the stay, as it continues the visit. In-person rows are the mediator's
 * to mark; these functions touch only online ones, and closing a session closes every open row.
 */

/** The participant arrives in the room: their last stay continues if they left it only just now, else one begins. */
export async function arriveOnline(db: Db, sessionId: string, participantId: string, now = new Date()): Promise<void> {
	await db.transaction(async (tx) => {
		const [last] = await tx
			.select({ id: sessionAttendance.id, leftAt: sessionAttendance.leftAt })
			.from(sessionAttendance)
			.where(
				and(
					eq(sessionAttendance.sessionId, sessionId),
					eq(sessionAttendance.participantId, participantId),
					eq(sessionAttendance.presence, 'online')
				)
			)
			.orderBy(desc(sessionAttendance.joinedAt))
			.limit(1)
			.for('update');
		if (last && (!last.leftAt || now.getTime() - last.leftAt.getTime() < SAME_VISIT_MS)) {
			if (last.leftAt)
				await tx.update(sessionAttendance).set({ leftAt: null }).where(eq(sessionAttendance.id, last.id));
			return;
		}
		await tx.insert(sessionAttendance).values({ sessionId, participantId, presence: 'online', joinedAt: now });
	});
}

/** The participant left the room (or their connection dropped): their open stay ends now. */
export async function leaveOnline(db: Db, sessionId: string, participantId: string, now = new Date()): Promise<void> {
	await db
		.update(sessionAttendance)
		.set({ leftAt: now })
		.where(
			and(
				eq(sessionAttendance.sessionId, sessionId),
				eq(sessionAttendance.participantId, participantId),
				eq(sessionAttendance.presence, 'online'),
				isNull(sessionAttendance.leftAt)
			)
		);
}

/** The session ended: every stay still open, online or in person, ends with it. */
export async function closeAttendance(tx: Db, sessionId: string, now = new Date()): Promise<void> {
	await tx
		.update(sessionAttendance)
		.set({ leftAt: now })
		.where(and(eq(sessionAttendance.sessionId, sessionId), isNull(sessionAttendance.leftAt)));
}
