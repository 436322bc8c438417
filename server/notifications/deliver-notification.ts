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
import type { SendRate } from './send-rate.ts';

export type DeliverDeps = {
	db: Db;
	log: Logger;
	config: { notifications: NotificationConfig };
	queue: NotificationQueue;
	transports: Transports;
	/** The process's turns for SMS (`SMS_MAX_PER_SECOND`), when it has a limit. */
	smsRate: SendRate | undefined;
};

const HOUR = 3_600_000;

/** The subject of an e-mail: the committee and the first words of the text. */
function subjectOf(signature: string, text: string): string {
	const first = text.split(/[。.!！？?]/, 1)[0];
	return `${signature}：${first.length > 40 ? `${first.slice(0, 39)}…` : first}`;
}

type Attempt = { notificationId: string; retryCount: number; retry: (error: unknown) => Promise<void> };
type Row = typeof notifications.$inferSelect;
type Sent = { id: string; status: 'sent' | 'delivered'; provider: string; messageId: string | null; at: Date };

/**
 * Sends queued messages (a batch of the queue's jobs), each once. The messages are claimed
 * (`queued` → `sending`, committed, in one statement) before any provider is called, so that a
 * second job for one, or a later try, finds it taken: a message found still `sending` was cut off
 * mid-send (its process died), may have gone out, and is failed as UNKNOWN_OUTCOME for a person to
 * resend rather than sent twice. SMS keeps quiet hours and the per-number rate limit (counted as
 * the batch starts) by waiting: a new job for the time it may go; and the process's rate
 * (`SMS_MAX_PER_SECOND`) by waiting its turn before the provider is called. A provider's refusal that may pass
 * later goes back to the queue (`retry`, with backoff) until the last try; any other is final. What
 * was sent is recorded in one statement for the batch.
 */
export async function deliverNotifications(deps: DeliverDeps, attempts: Attempt[], now = new Date()): Promise<void> {
	const { db } = deps;
	const ids = [...new Set(attempts.map((a) => a.notificationId))];
	if (!ids.length) return;
	const claimed = await db
		.update(notifications)
		.set({ status: 'sending', attempts: sql`${notifications.attempts} + 1` })
		.where(and(inArray(notifications.id, ids), eq(notifications.status, 'queued'), lte(notifications.notBefore, now)))
		.returning();
	const claimedIds = new Set(claimed.map((row) => row.id));
	const unclaimed = ids.filter((id) => !claimedIds.has(id));
	if (unclaimed.length) {
		// Still `sending` without being claimed now: its sender died mid-send. (Anything else is a duplicate job, or early.)
		const cut = await db
			.update(notifications)
			.set({
				status: 'failed',
				errorCode: 'UNKNOWN_OUTCOME',
				error: 'the process sending it stopped mid-send',
				secret: null
			})
			.where(and(inArray(notifications.id, unclaimed), eq(notifications.status, 'sending')))
			.returning({ id: notifications.id });
		for (const { id } of cut)
			deps.log.warn({ notificationId: id }, 'notification cut off mid-send: failed, not sent again');
	}
	if (!claimed.length) return;

	const addresses = [...new Set(claimed.filter((row) => row.channel === 'sms').map((row) => row.address!))];
	const recent = addresses.length
		? await db
				.select({ address: notifications.address, sent: count(), oldest: min(notifications.sentAt) })
				.from(notifications)
				.where(
					and(
						inArray(notifications.address, addresses),
						eq(notifications.channel, 'sms'),
						// Sent: whatever its receipt said since, it went out.
						gt(notifications.sentAt, new Date(now.getTime() - HOUR))
					)
				)
				.groupBy(notifications.address)
		: [];
	const recentOf = new Map(recent.map((row) => [row.address, row]));
	const attemptOf = new Map(attempts.map((a) => [a.notificationId, a]));

	const sent = (
		await Promise.all(
			claimed.map((row) => sendClaimed(deps, row, attemptOf.get(row.id)!, now, recentOf.get(row.address)))
		)
	).filter((result): result is Sent => result !== null);
	if (!sent.length) return;
	// One statement for the batch: its results as a JSON list, read back as rows.
	await db.execute(sql`
		update ${notifications} as n
		set status = v.status::notification_status, provider = v.provider, provider_message_id = v.message_id,
			sent_at = v.at, error_code = null, error = null, secret = null
		from jsonb_to_recordset(${JSON.stringify(sent.map(({ id, status, provider, messageId, at }) => ({ id, status, provider, message_id: messageId, at })))}::jsonb)
			as v(id uuid, status text, provider text, message_id text, at timestamptz)
		where n.id = v.id`);
}

/** One claimed message: waits (quiet hours, rate limit), fails, or is sent; returns what to record when sent. */
async function sendClaimed(
	deps: DeliverDeps,
	row: Row,
	attempt: Attempt,
	now: Date,
	recent: { sent: number; oldest: Date | null } | undefined
): Promise<Sent | null> {
	const { db } = deps;
	const put = async (later: Date, why: string) => {
		await db.transaction(async (tx) => {
			await tx
				.update(notifications)
				.set({ status: 'queued', notBefore: later, errorCode: why })
				.where(eq(notifications.id, row.id));
			await deps.queue.sendLater(row.id, later, tx);
		});
		return null;
	};

	const spec: NotificationKindSpec = NOTIFICATION_KINDS[row.kind];
	if (row.channel === 'sms') {
		const allowed = spec.quietHoursExempt ? now : smsAllowedAt(now, row.meetingAt);
		if (allowed > now) return put(allowed, 'QUIET_HOURS');
		if (recent && recent.sent >= deps.config.notifications.sms.maxPerHour && recent.oldest) {
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
		return null;
	}
	const values = { ...row.params, ...(row.secret ?? {}) };
	const message: OutgoingMessage = {
		id: row.id,
		to: row.address!,
		signName: row.signature,
		text: renderNotification(row.kind, row.locale, values),
		subject: subjectOf(row.signature, renderNotification(row.kind, row.locale, row.params)),
		templateCode: deps.config.notifications.sms.templates[row.kind],
		params: NOTIFICATION_KINDS[row.kind].params.map((name) => [name, values[name] ?? ''])
	};
	if (row.channel === 'sms') await deps.smsRate?.take();
	try {
		const result = await transport.send(message);
		return {
			id: row.id,
			status: result.delivered ? 'delivered' : 'sent',
			provider: result.provider,
			messageId: result.messageId,
			at: new Date()
		};
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
		return null;
	}
}
