import { and, count, eq, gt, inArray, lte, min, sql } from 'drizzle-orm';
import {
	NOTIFICATION_KINDS,
	renderNotification,
	smsAllowedAt,
	type NotificationKindSpec
} from '#shared/notifications.ts';
import type { Db } from '../db/client.ts';
import { notifications } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { Transports } from './channels/channels.ts';
import { ProviderError, type OutgoingMessage } from './channels/transport.ts';
import type { NotificationConfig } from './notification-config.ts';
import { SEND_ATTEMPTS, type NotificationQueue } from './notification-queue.ts';

export type DeliverDeps = {
	db: Db;
	log: Logger;
	config: { notifications: NotificationConfig };
	queue: NotificationQueue;
	transports: Transports;
};

const HOUR = 3_600_000;

/** The subject of an e-mail: the committee and the first words of the text. */
function subjectOf(signature: string, text: string): string {
	const first = text.split(/[。.!！？?]/, 1)[0];
	return `${signature}：${first.length > 40 ? `${first.slice(0, 39)}…` : first}`;
}

/**
 * Sends one queued message, once. The message is claimed (`queued` → `sending`, committed) before
 * the provider is called, so that a second job for it, or a later try, finds it taken: a message
 * found still `sending` was cut off mid-send (its process died), may have gone out, and is failed
 * as UNKNOWN_OUTCOME for a person to resend rather than sent twice. SMS keeps quiet hours and the
 * per-number rate limit by waiting (a new job for the time it may go). A provider's refusal that
 * may pass later goes back to the queue (`retry`, with backoff) until the last try; any other is final.
 */
export async function deliverNotification(
	deps: DeliverDeps,
	notificationId: string,
	attempt: { retryCount: number; retry: (error: unknown) => Promise<void> },
	now = new Date()
): Promise<void> {
	const { db } = deps;
	const [row] = await db
		.update(notifications)
		.set({ status: 'sending', attempts: sql`${notifications.attempts} + 1` })
		.where(
			and(eq(notifications.id, notificationId), eq(notifications.status, 'queued'), lte(notifications.notBefore, now))
		)
		.returning();
	if (!row) {
		const [current] = await db
			.select({ status: notifications.status, notBefore: notifications.notBefore })
			.from(notifications)
			.where(eq(notifications.id, notificationId));
		if (current?.status === 'sending') {
			await db
				.update(notifications)
				.set({
					status: 'failed',
					errorCode: 'UNKNOWN_OUTCOME',
					error: 'the process sending it stopped mid-send',
					secret: null
				})
				.where(and(eq(notifications.id, notificationId), eq(notifications.status, 'sending')));
			deps.log.warn({ notificationId }, 'notification cut off mid-send: failed, not sent again');
		}
		// Early (a deferred message's older job): its own job comes at its time.
		return;
	}

	const put = (later: Date, why: string) =>
		db.transaction(async (tx) => {
			await tx
				.update(notifications)
				.set({ status: 'queued', notBefore: later, errorCode: why })
				.where(eq(notifications.id, row.id));
			await deps.queue.sendLater(row.id, later, tx);
		});

	const spec: NotificationKindSpec = NOTIFICATION_KINDS[row.kind];
	if (row.channel === 'sms') {
		const allowed = spec.quietHoursExempt ? now : smsAllowedAt(now, row.meetingAt);
		if (allowed > now) return put(allowed, 'QUIET_HOURS');
		const [recent] = await db
			.select({ sent: count(), oldest: min(notifications.sentAt) })
			.from(notifications)
			.where(
				and(
					eq(notifications.address, row.address!),
					eq(notifications.channel, 'sms'),
					inArray(notifications.status, ['sent', 'delivered']),
					gt(notifications.sentAt, new Date(now.getTime() - HOUR))
				)
			);
		if (recent.sent >= deps.config.notifications.sms.maxPerHour && recent.oldest) {
			return put(new Date(recent.oldest.getTime() + HOUR + 1000), 'RATE_LIMITED');
		}
	}

	const transport =
		row.channel === 'sms' ? deps.transports.sms : row.channel === 'email' ? deps.transports.email : null;
	if (!transport) {
		await db
			.update(notifications)
			.set({ status: 'failed', errorCode: 'CHANNEL_OFF', error: `no ${row.channel} channel is configured` })
			.where(eq(notifications.id, row.id));
		return;
	}
	const values = { ...row.params, ...(row.secret ?? {}) };
	const text = renderNotification(row.kind, row.locale, values);
	const message: OutgoingMessage = {
		id: row.id,
		to: row.address!,
		signName: row.signature,
		text,
		subject: subjectOf(row.signature, renderNotification(row.kind, row.locale, row.params)),
		templateCode: deps.config.notifications.sms.templates[row.kind],
		params: NOTIFICATION_KINDS[row.kind].params.map((name) => [name, values[name] ?? ''])
	};
	try {
		const result = await transport.send(message);
		await db
			.update(notifications)
			.set({
				status: result.delivered ? 'delivered' : 'sent',
				provider: result.provider,
				providerMessageId: result.messageId,
				sentAt: new Date(),
				errorCode: null,
				error: null,
				secret: null
			})
			.where(eq(notifications.id, row.id));
	} catch (error) {
		const failure =
			error instanceof ProviderError
				? error
				: new ProviderError('ERROR', (error as Error).message ?? String(error), true);
		const again = failure.retry && attempt.retryCount + 1 < SEND_ATTEMPTS;
		await db
			.update(notifications)
			.set({
				status: again ? 'queued' : 'failed',
				provider: transport.name,
				errorCode: failure.code.slice(0, 100),
				error: failure.message.slice(0, 500)
			})
			.where(eq(notifications.id, row.id));
		deps.log.warn(
			{ notificationId: row.id, channel: row.channel, provider: transport.name, code: failure.code, again },
			'notification not sent'
		);
		if (again) await attempt.retry(failure);
	}
}
