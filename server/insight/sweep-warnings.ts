import { asc, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cases, caseStatistics, orgNodes } from '../db/schema.ts';
import { raiseCaseWarnings } from './raise-case-warnings.ts';
import { raiseDeadlineWarnings } from './deadline-warnings.ts';
import { raiseJudicialDeadlineWarnings } from '../judicial/judicial-deadline-warnings.ts';
import { addMonths, monthOf } from './period.ts';
import { raiseWarning } from './raise-warning.ts';
import { settingsAt } from './warning-settings.ts';

/** The longest trailing period the settings allow (warningSettingsSchema). */
const MAX_TRAILING_MONTHS = 24;

/**
 * Raises a warning for each village whose cases this month exceed its usual
 * month (the average of the trailing months) by the margin of its settings.
 * Reads the statistics tables, so it runs after a refresh. Returns how many
 * are new; once per village and month, however often it runs.
 */
export async function raiseSurgeWarnings(db: Db, now: Date): Promise<number> {
	const current = monthOf(now);
	const earliest = addMonths(current, -MAX_TRAILING_MONTHS);
	const monthly = await db
		.select({
			villageId: caseStatistics.villageId,
			month: sql<string>`to_char(${caseStatistics.month}, 'YYYY-MM')`,
			cases: sql<number>`sum(${caseStatistics.cases})::int`
		})
		.from(caseStatistics)
		.where(gte(caseStatistics.month, `${earliest}-01`))
		.groupBy(caseStatistics.villageId, caseStatistics.month);
	const villageIds = [...new Set(monthly.filter((row) => row.month === current).map((row) => row.villageId))];
	if (!villageIds.length) return 0;
	const villages = await db
		.select({ id: orgNodes.id, name: orgNodes.name, path: orgNodes.path })
		.from(orgNodes)
		.where(inArray(orgNodes.id, villageIds));
	let created = 0;
	for (const village of villages) {
		const settings = await settingsAt(db, village.path);
		const counts = new Map(monthly.filter((row) => row.villageId === village.id).map((row) => [row.month, row.cases]));
		const thisMonth = counts.get(current) ?? 0;
		let trailing = 0;
		for (let i = 1; i <= settings.surgeTrailingMonths; i++) trailing += counts.get(addMonths(current, -i)) ?? 0;
		const average = trailing / settings.surgeTrailingMonths;
		const margin = settings.surgeMarginPercent / 100;
		if (thisMonth < settings.surgeMinCases || thisMonth <= average * (1 + margin)) continue;
		const raised = await raiseWarning(db, {
			rule: 'village_surge',
			subjectKey: `${village.id}:${current}`,
			severity: thisMonth > average * (1 + 2 * margin) ? 'high' : 'medium',
			orgPath: village.path,
			villageId: village.id,
			details: {
				village: village.name,
				month: current,
				count: thisMonth,
				average: Math.round(average * 10) / 10,
				marginPercent: settings.surgeMarginPercent
			}
		});
		if (raised) created++;
	}
	return created;
}

/**
 * The periodic run of the rules that depend on time rather than on a change:
 * deadlines coming and going by, this month's surges, and the per-case rules
 * for cases filed since `since` (they run when a case is filed; this catches
 * any that a crash in between left out).
 */
export async function sweepWarnings(db: Db, since: Date, now = new Date()): Promise<number> {
	let created = await raiseDeadlineWarnings(db, now);
	created += await raiseSurgeWarnings(db, now);
	created += await raiseJudicialDeadlineWarnings(db, now);
	const recent = await db
		.select({ id: cases.id })
		.from(cases)
		.where(gte(cases.createdAt, since))
		.orderBy(asc(cases.createdAt));
	for (const { id } of recent) created += await raiseCaseWarnings(db, id, now);
	return created;
}
