import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { DEFAULT_PERIOD_MONTHS, STATISTICS_TIME_ZONE } from '#shared/statistics.ts';

/** Whole months, both ends included, as `YYYY-MM`. */
export type Period = { from: string; to: string };

/** The month `now` falls in, in the town's time. */
export function monthOf(now: Date): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: STATISTICS_TIME_ZONE, year: 'numeric', month: '2-digit' })
		.format(now)
		.slice(0, 7);
}

export function addMonths(month: string, count: number): string {
	const [year, index] = month.split('-').map(Number);
	const total = year * 12 + index - 1 + count;
	return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** The period asked for; a missing end is this month, a missing start the year up to the end. */
export function periodOf(input: { from?: string; to?: string }, now: Date): Period {
	const to = input.to ?? (input.from && input.from > monthOf(now) ? input.from : monthOf(now));
	return { from: input.from ?? addMonths(to, 1 - DEFAULT_PERIOD_MONTHS), to };
}

/** The instant a month begins in the town's time. */
export const monthStartsAt = (month: string): SQL =>
	sql`(${`${month}-01`}::timestamp at time zone ${STATISTICS_TIME_ZONE})`;

/** `column` (a timestamp) from the first month's start up to the end of the last. */
export function withinPeriod(column: AnyColumn, period: Partial<Period>): SQL[] {
	const conditions: SQL[] = [];
	if (period.from) conditions.push(sql`${column} >= ${monthStartsAt(period.from)}`);
	if (period.to) conditions.push(sql`${column} < ${monthStartsAt(addMonths(period.to, 1))}`);
	return conditions;
}
