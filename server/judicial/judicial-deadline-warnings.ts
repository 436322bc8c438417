import { sql } from 'drizzle-orm';
import { addCalendarDays, JUDICIAL_WARNING_DAY, JUDICIAL_WINDOW_DAYS, shanghaiDate } from '#shared/judicial.ts';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows-of.ts';

/** The instant a Shanghai calendar day begins (the zone has no daylight saving). */
const startOf = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();

/**
 * Raises `judicial_deadline_near` for every application for judicial confirmation that is
 * prepared but not yet filed with the court (unsigned, or sealed and not taken there), from day 20
 * to day 30 of its agreement's 30 days (calendar days in Shanghai), once per agreement. Set-based, as the other deadline rules.
 * Returns how many are new.
 */
export async function raiseJudicialDeadlineWarnings(db: Db, now: Date): Promise<number> {
	const today = shanghaiDate(now);
	// Sealed on a day from today − 30 to today − 20: day 20 to day 30 of the window.
	const from = startOf(addCalendarDays(today, -JUDICIAL_WINDOW_DAYS));
	const until = startOf(addCalendarDays(today, -JUDICIAL_WARNING_DAY + 1));
	const rows = await rowsOf<{ id: string }>(
		db,
		sql`
		insert into warnings (rule, subject_key, severity, org_path, case_id, village_id, details)
		select 'judicial_deadline_near'::warning_rule, sa.id::text, 'medium'::warning_severity,
			c.committee_path, c.id, c.village_id,
			jsonb_build_object('number', c.number, 'sealedAt', sa.sealed_at, 'court', ja.court->>'name')
		from judicial_applications ja
		join sealed_agreements sa on sa.id = ja.sealed_agreement_id and sa.superseded_at is null
		join cases c on c.id = ja.case_id
		where ja.filed_on is null
			and sa.sealed_at >= ${from}::timestamptz and sa.sealed_at < ${until}::timestamptz
		on conflict (rule, subject_key) do nothing
		returning id`
	);
	return rows.length;
}
