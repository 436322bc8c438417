import { sql } from 'drizzle-orm';
import { DEADLINE_STATUSES, NEAR_DEADLINE_DAYS } from '#shared/cases.ts';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows-of.ts';

const deadlineStatuses = sql.join(
	DEADLINE_STATUSES.map((status) => sql`${status}`),
	sql`, `
);

/**
 * Raises the deadline warnings of the open cases (of one case, when given):
 * past the deadline, or within NEAR_DEADLINE_DAYS of it. Set-based, through
 * the partial index on open cases' deadlines, so a sweep over a million cases
 * costs what the few open ones cost. A deadline that is moved (the case
 * escalated and accepted anew) is a new subject. Returns how many are new.
 */
export async function raiseDeadlineWarnings(db: Db, now: Date, caseId?: string): Promise<number> {
	const at = now.toISOString();
	const near = new Date(now.getTime() + NEAR_DEADLINE_DAYS * 86_400_000).toISOString();
	const rows = await rowsOf<{ id: string }>(
		db,
		sql`
		insert into warnings (rule, subject_key, severity, org_path, case_id, village_id, details)
		select case when c.deadline < ${at}::timestamptz then 'deadline_overdue' else 'deadline_near' end::warning_rule,
			c.id || '@' || floor(extract(epoch from c.deadline) * 1000)::bigint,
			case when c.deadline < ${at}::timestamptz then 'high' else 'medium' end::warning_severity,
			c.committee_path, c.id, c.village_id,
			jsonb_build_object('number', c.number, 'deadline', c.deadline)
		from cases c
		where c.status in (${deadlineStatuses}) and c.deadline < ${near}::timestamptz
			${caseId ? sql`and c.id = ${caseId}` : sql``}
		on conflict (rule, subject_key) do nothing
		returning id`
	);
	return rows.length;
}
