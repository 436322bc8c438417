import { and, count, eq, gt, min, sql } from 'drizzle-orm';
import type { CaseChannel } from '#shared/cases.ts';
import { AppError } from '#shared/errors.ts';
import type { Db } from '../db/client.ts';
import { cases, committees } from '../db/schema.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Refuses another case of `channel` for a committee that took `ceiling` of them in the last 24
 * hours. Runs in the transaction that files the case: the committee's row stays locked until it
 * ends, so the app processes of one database count one after another and applications sent
 * together cannot all slip under the ceiling.
 */
export async function checkDailyCeiling(tx: Db, committeeId: string, channel: CaseChannel, ceiling: number) {
	await tx.select({ id: committees.id }).from(committees).where(eq(committees.id, committeeId)).for('update');
	const [today] = await tx
		.select({ filed: count(), oldest: min(cases.createdAt) })
		.from(cases)
		.where(
			and(
				eq(cases.committeeId, committeeId),
				eq(cases.channel, channel),
				gt(cases.createdAt, sql`now() - interval '1 day'`)
			)
		);
	if (today.filed < ceiling || !today.oldest) return;
	const retryAfterSeconds = Math.max(1, Math.ceil((today.oldest.getTime() + DAY_MS - Date.now()) / 1000));
	throw new AppError('RATE_LIMITED', { fields: { villageId: ['committee_busy'] }, retryAfterSeconds });
}
