import { and, asc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows-of.ts';
import { notifications } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { Transports } from './channels/channels.ts';

/** How long after sending a message may still get its receipt: the carriers try a handset that is off for up to 72 h. */
export const RECEIPT_WINDOW_MS = 72 * 3_600_000;
/** Messages asked about in one collection, where the provider is asked message by message (Aliyun). */
export const RECEIPT_BATCH = 50;

export type ReceiptCount = { delivered: number; undelivered: number };

/**
 * Moves SMS the provider took (`sent`, in the last 72 h) to what their delivery receipts say:
 * `delivered`, with the time the handset received it, or `failed` with the carrier's code (a failure
 * after sending: `receipt_at` set). The least recently asked are asked first, so that messages still
 * waiting for their carrier do not keep newer ones from being asked. A receipt of a message not
 * awaiting one (unknown, another provider's, already settled) changes nothing.
 */
export async function collectReceipts(
	deps: { db: Db; log: Logger; transports: Transports },
	now = new Date()
): Promise<ReceiptCount> {
	const { db } = deps;
	const transport = deps.transports.sms;
	if (!transport?.receipts) return { delivered: 0, undelivered: 0 };
	const awaiting = await db
		.select({
			id: notifications.id,
			messageId: notifications.providerMessageId,
			to: notifications.address,
			sentAt: notifications.sentAt
		})
		.from(notifications)
		.where(
			and(
				eq(notifications.channel, 'sms'),
				eq(notifications.status, 'sent'),
				eq(notifications.provider, transport.name),
				isNotNull(notifications.providerMessageId),
				gt(notifications.sentAt, new Date(now.getTime() - RECEIPT_WINDOW_MS))
			)
		)
		.orderBy(sql`${notifications.receiptCheckedAt} asc nulls first`, asc(notifications.sentAt))
		.limit(RECEIPT_BATCH);
	if (!awaiting.length) return { delivered: 0, undelivered: 0 };
	await db
		.update(notifications)
		.set({ receiptCheckedAt: now })
		.where(
			inArray(
				notifications.id,
				awaiting.map((row) => row.id)
			)
		);
	const receipts = await transport.receipts(
		awaiting.map((row) => ({ messageId: row.messageId!, to: row.to!, sentAt: row.sentAt! }))
	);
	if (!receipts.length) return { delivered: 0, undelivered: 0 };
	const settled = await rowsOf<{ id: string; status: 'delivered' | 'failed'; code: string }>(
		db,
		sql`
		update ${notifications} as n
		set status = v.status::notification_status, receipt_at = v.at,
			error_code = case when v.status = 'failed' then left(v.code, 100) end, error = null
		from jsonb_to_recordset(${JSON.stringify(
			receipts.map(({ messageId, to, delivered, code, at }) => ({
				message_id: messageId,
				address: to,
				status: delivered ? 'delivered' : 'failed',
				code,
				at
			}))
		)}::jsonb) as v(message_id text, address text, status text, code text, at timestamptz)
		where n.channel = 'sms' and n.status = 'sent' and n.provider = ${transport.name}
			and n.provider_message_id = v.message_id and n.address = v.address
		returning n.id, n.status, v.code`
	);
	const count: ReceiptCount = { delivered: 0, undelivered: 0 };
	for (const row of settled) {
		if (row.status === 'delivered') count.delivered++;
		else {
			count.undelivered++;
			deps.log.warn({ notificationId: row.id, code: row.code }, 'SMS not delivered, by its receipt');
		}
	}
	return count;
}
