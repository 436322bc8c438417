import { createHash } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { warningEvents } from '../db/schema.ts';
import { canonicalJson, GENESIS_HASH } from './case-event-hash.ts';

export type WarningEventInput = {
	warningId: string;
	actorId: string;
	action: 'warning.acknowledged' | 'warning.assigned' | 'warning.resolved';
	data: Record<string, unknown>;
	ip: string | null;
};

/**
 * Appends the next event to the warning's audit chain inside the caller's
 * transaction, which must hold the warning's row lock so that concurrent
 * appends queue up. Each event carries the hash of the one before it, as the
 * case audit log does.
 */
export async function recordWarningEvent(tx: Db, event: WarningEventInput): Promise<void> {
	const [last] = await tx
		.select({ seq: warningEvents.seq, hash: warningEvents.hash })
		.from(warningEvents)
		.where(eq(warningEvents.warningId, event.warningId))
		.orderBy(desc(warningEvents.seq))
		.limit(1);
	const fields = {
		...event,
		seq: (last?.seq ?? 0) + 1,
		data: JSON.parse(JSON.stringify(event.data)) as unknown,
		createdAt: new Date(),
		prevHash: last?.hash ?? GENESIS_HASH
	};
	const hash = createHash('sha256')
		.update(canonicalJson({ ...fields, createdAt: fields.createdAt.toISOString() }))
		.digest('hex');
	await tx.insert(warningEvents).values({ ...fields, hash });
}
