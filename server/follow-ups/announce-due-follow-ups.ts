import { and, isNull, lte } from 'drizzle-orm';
import { dayOf } from '#shared/follow-ups.ts';
import type { Db } from '../db/client.ts';
import { followUps } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';

/**
 * Announces, once each, the follow-ups whose day has come and that nobody recorded yet: whoever
 * listens (the coming notifications) asks the parties for their answer then.
 */
export async function announceDueFollowUps(app: { db: Db; events: DomainEvents }, now = new Date()): Promise<number> {
	const due = await app.db
		.update(followUps)
		.set({ dueAnnouncedAt: now })
		.where(and(lte(followUps.dueOn, dayOf(now)), isNull(followUps.recordedAt), isNull(followUps.dueAnnouncedAt)))
		.returning({ id: followUps.id, caseId: followUps.caseId, dueOn: followUps.dueOn });
	for (const row of due) {
		await app.events.emit('follow_up.due', { caseId: row.caseId, followUpId: row.id, dueOn: row.dueOn });
	}
	return due.length;
}
