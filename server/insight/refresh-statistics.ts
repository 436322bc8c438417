import { sql } from 'drizzle-orm';
import { DEADLINE_STATUSES } from '#shared/cases.ts';
import { STATISTICS_TIME_ZONE } from '#shared/statistics.ts';
import type { Db } from '../db/client.ts';
import { statisticsRefresh } from '../db/schema.ts';
import { rowsOf } from '../db/rows-of.ts';

/** Any fixed number: the advisory lock that lets only one process rebuild at a time. */
const REFRESH_LOCK = 0x7469616f;

const deadlineStatuses = sql.join(
	DEADLINE_STATUSES.map((status) => sql`${status}`),
	sql`, `
);

/**
 * Rebuilds the statistics tables from the cases, in one transaction: readers
 * keep seeing the previous figures until it commits (a delete, not a
 * truncate, so that they are never blocked). When another process is already
 * rebuilding, this one leaves it to them and returns false.
 */
export async function refreshStatistics(db: Db, now = new Date()): Promise<boolean> {
	const rebuilt = await db.transaction(async (tx) => {
		const [{ locked }] = await rowsOf<{ locked: boolean }>(
			tx,
			sql`select pg_try_advisory_xact_lock(${REFRESH_LOCK}) as locked`
		);
		if (!locked) return false;
		const at = now.toISOString();
		// Per case: its month, how long it took if it ended, whether it has a deadline and overran it.
		const measured = sql`
			select c.*, date_trunc('month', c.created_at at time zone ${STATISTICS_TIME_ZONE})::date as month,
				coalesce(extract(epoch from c.ended_at - c.created_at) / 86400, 0) as days,
				(c.deadline is not null)::int as has_deadline,
				(c.deadline < coalesce(c.ended_at, case when c.status in (${deadlineStatuses}) then ${at}::timestamptz end))::int as late
			from cases c`;
		await tx.execute(sql`delete from case_statistics`);
		await tx.execute(sql`
			insert into case_statistics (month, committee_id, committee_path, village_id, dispute_type, status, outcome,
				cases, duration_days, with_deadline, overdue)
			select m.month, m.committee_id, m.committee_path,
				case when place.kind = 'group' then place.parent_id else place.id end,
				m.dispute_type, m.status, m.outcome, count(*), sum(m.days), sum(m.has_deadline), coalesce(sum(m.late), 0)
			from (${measured}) m join org_nodes place on place.id = m.village_id
			group by 1, 2, 3, 4, 5, 6, 7`);
		await tx.execute(sql`delete from mediator_statistics`);
		await tx.execute(sql`
			insert into mediator_statistics (month, mediator_id, committee_path, outcome, cases, duration_days,
				with_deadline, overdue)
			select m.month, cm.user_id, m.committee_path, m.outcome, count(*), sum(m.days), sum(m.has_deadline),
				coalesce(sum(m.late), 0)
			from (${measured}) m join case_mediators cm on cm.case_id = m.id
			group by 1, 2, 3, 4`);
		await tx
			.insert(statisticsRefresh)
			.values({ refreshedAt: now })
			.onConflictDoUpdate({ target: statisticsRefresh.id, set: { refreshedAt: now } });
		return true;
	});
	// The rows just deleted would otherwise weigh on every read until autovacuum came by; fresh
	// statistics let the planner see the new rows.
	if (rebuilt) await db.execute(sql`vacuum (analyze) case_statistics, mediator_statistics`);
	return rebuilt;
}
