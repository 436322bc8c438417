import { eq, sql } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { NOTIFICATION_KINDS, notificationIdSchema } from '#shared/notifications.ts';
import type { Actor } from '#shared/roles.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { notifications } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import type { NotificationQueue } from './notification-queue.ts';

/**
 * Sends a message again, as a new message (the old one stays as it was, for the record): a
 * mediator from the case page, an admin from the list of failures. A message whose secret (an
 * invitation's PIN) was sent and so forgotten cannot be sent again: the invitation is reissued.
 * A case's message resent is recorded in its audit chain by kind and channel, never by address.
 */
export async function resendNotification(
	app: { db: Db; log: Logger; notifications: { queue: NotificationQueue; now: () => Date } },
	actor: Actor,
	input: unknown,
	ip: string | null
): Promise<string> {
	const { notificationId } = parseInput(notificationIdSchema, input);
	const now = app.notifications.now();
	const id = await app.db.transaction(async (tx) => {
		const [old] = await tx.select().from(notifications).where(eq(notifications.id, notificationId)).for('update');
		if (!old || old.channel === 'inapp') throw new AppError('NOT_FOUND');
		if (old.caseId) {
			if (actor.role !== 'admin') authorize(actor, 'cases:mediate');
			await findVisibleCase(tx, actor, old.caseId);
		} else authorize(actor, 'settings:manage');
		if (['queued', 'sending'].includes(old.status)) throw new AppError('CONFLICT');
		const needsSecret = NOTIFICATION_KINDS[old.kind].params.some((name) => name === 'pin');
		// The PIN was sent and forgotten: a new invitation (reissued) is the way to send it again.
		if (needsSecret && !old.secret) throw new AppError('CONFLICT');
		const [{ tries }] = await tx
			.select({ tries: sql<number>`count(*)::int` })
			.from(notifications)
			.where(sql`${notifications.idempotencyKey} like ${`resend|${old.id}|%`}`);
		const {
			id: _id,
			idempotencyKey: _key,
			status: _status,
			provider: _provider,
			providerMessageId: _messageId,
			errorCode: _code,
			error: _error,
			attempts: _attempts,
			sentAt: _sentAt,
			receiptAt: _receiptAt,
			receiptCheckedAt: _receiptCheckedAt,
			readAt: _readAt,
			createdAt: _createdAt,
			...copy
		} = old;
		const [fresh] = await tx
			.insert(notifications)
			.values({
				...copy,
				idempotencyKey: `resend|${old.id}|${tries + 1}`,
				status: 'queued',
				notBefore: now,
				createdAt: now
			})
			.returning({ id: notifications.id });
		// The old one's secret now travels with the new one only.
		if (old.secret) await tx.update(notifications).set({ secret: null }).where(eq(notifications.id, old.id));
		await app.notifications.queue.sendLater(fresh.id, now, tx);
		if (old.caseId)
			await recordCaseEvent(tx, {
				caseId: old.caseId,
				actorId: actor.id,
				action: 'notification.resent',
				data: {
					notificationId: old.id,
					resentAs: fresh.id,
					kind: old.kind,
					channel: old.channel,
					partyId: old.casePartyId
				},
				ip
			});
		return fresh.id;
	});
	app.log.info({ notificationId, resentAs: id, actorId: actor.id }, 'notification resent');
	return id;
}
