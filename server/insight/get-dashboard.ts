import { and, count, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import {
	DEADLINE_STATUSES,
	NEAR_DEADLINE_DAYS,
	OPEN_STATUSES,
	RESOLVED_OUTCOMES,
	type CaseOutcome,
	type CaseStatus,
	type DisputeType
} from '#shared/cases.ts';
import type { Actor } from '#shared/roles.ts';
import { statisticsFilterSchema } from '#shared/statistics.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { caseStatistics, cases, orgNodes, statisticsRefresh } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { countPerformed } from '../performance/count-performed.ts';
import { addMonths, periodOf, withinPeriod, type Period } from './period.ts';
import { statisticsPaths, underPaths } from './statistics-scope.ts';

export type Tally<K extends string> = { key: K; cases: number };

export type Dashboard = {
	period: Period;
	orgId: string | null;
	/** When the counted figures were computed; the open, overdue and near-deadline counts are live. */
	refreshedAt: Date | null;
	totals: {
		cases: number;
		/** Successful mediations: by a sealed agreement, or by an oral agreement. */
		resolved: number;
		/** Of those, resolved by an oral agreement (口头协议). */
		oralAgreements: number;
		failed: number;
		/** Resolved among the mediations that ran to a result (resolved or failed); null before any did. */
		successRate: number | null;
		/** Days from filing to agreement, on average over the resolved cases. */
		averageDaysToResolution: number | null;
		/** Agreements performed in full (履行完毕), and their share of the successful mediations (null before any). */
		performed: number;
		performedShare: number | null;
	};
	live: { open: number; overdue: number; nearDeadline: number };
	byType: Tally<DisputeType>[];
	byStatus: Tally<CaseStatus>[];
	byOutcome: Tally<CaseOutcome>[];
	byVillage: (Tally<string> & { name: string })[];
	byMonth: (Tally<string> & { resolved: number })[];
};

const t = caseStatistics;
const total = sql<number>`coalesce(sum(${t.cases}), 0)::int`;
const resolvedOnly = inArray(t.outcome, [...RESOLVED_OUTCOMES]);

/**
 * Which grouping set a row of the one query below belongs to: `grouping()`
 * sets a bit for each listed column the row is not grouped by, the first
 * column the highest.
 */
const GROUPING_OF = {
	disputeType: 0b01111,
	status: 0b10111,
	outcome: 0b11011,
	villageId: 0b11101,
	month: 0b11110,
	all: 0b11111
};

/**
 * The figures of the dashboard for the cases filed in the period whose
 * handling committee lies in the chosen subtree, from the statistics tables;
 * the open, overdue and near-deadline counts come from the cases themselves
 * (few, and read through partial indexes), so they are never stale.
 */
export async function getDashboard(db: Db, actor: Actor, input: unknown, now = new Date()): Promise<Dashboard> {
	authorize(actor, 'statistics:view');
	const filters = parseInput(statisticsFilterSchema, input);
	const period = periodOf(filters, now);
	const paths = await statisticsPaths(db, actor, filters.org);
	const inScope = and(
		underPaths(caseStatistics.committeePath, paths),
		gte(caseStatistics.month, `${period.from}-01`),
		lte(caseStatistics.month, `${period.to}-01`)
	);
	// Every breakdown in one pass over the statistics rows: one scan instead of one per chart.
	const grouped = db
		.select({
			set: sql<number>`grouping(${t.disputeType}, ${t.status}, ${t.outcome}, ${t.villageId}, ${t.month})`,
			disputeType: t.disputeType,
			status: t.status,
			outcome: t.outcome,
			villageId: t.villageId,
			month: sql<string | null>`to_char(${t.month}, 'YYYY-MM')`,
			cases: total,
			resolved: sql<number>`coalesce(sum(${t.cases}) filter (where ${resolvedOnly}), 0)::int`,
			resolvedDays: sql<number>`coalesce(sum(${t.durationDays}) filter (where ${resolvedOnly}), 0)`
		})
		.from(t)
		.where(inScope)
		.groupBy(
			sql`grouping sets ((${t.disputeType}), (${t.status}), (${t.outcome}), (${t.villageId}), (${t.month}), ())`
		);
	const caseCount = (...conditions: SQL[]) =>
		db
			.select({ n: count() })
			.from(cases)
			.where(and(underPaths(cases.committeePath, paths), ...withinPeriod(cases.createdAt, period), ...conditions))
			.then(([row]) => row.n);
	const deadlineRunning = inArray(cases.status, DEADLINE_STATUSES);
	const [rows, refreshed, open, overdue, nearDeadline, performed] = await Promise.all([
		grouped,
		db.select({ at: statisticsRefresh.refreshedAt }).from(statisticsRefresh),
		caseCount(inArray(cases.status, OPEN_STATUSES)),
		caseCount(deadlineRunning, lt(cases.deadline, now)),
		caseCount(
			deadlineRunning,
			gte(cases.deadline, now),
			lt(cases.deadline, new Date(now.getTime() + NEAR_DEADLINE_DAYS * 86_400_000))
		),
		countPerformed(db, paths, period)
	]);
	const setOf = (set: keyof typeof GROUPING_OF) =>
		rows.filter((row) => row.set === GROUPING_OF[set]).sort((a, b) => b.cases - a.cases);
	const tally = <K extends string>(set: keyof typeof GROUPING_OF, key: (row: (typeof rows)[number]) => K | null) =>
		setOf(set).flatMap((row) => {
			const value = key(row);
			return value === null ? [] : [{ key: value, cases: row.cases }];
		});
	const byOutcome = tally('outcome', (row) => row.outcome);
	const villageRows = tally('villageId', (row) => row.villageId);
	const names = villageRows.length
		? await db
				.select({ id: orgNodes.id, name: orgNodes.name })
				.from(orgNodes)
				.where(
					inArray(
						orgNodes.id,
						villageRows.map((row) => row.key)
					)
				)
		: [];
	const [all] = setOf('all');
	const outcomeCount = (outcome: CaseOutcome) => byOutcome.find((row) => row.key === outcome)?.cases ?? 0;
	const oralAgreements = outcomeCount('resolved_orally');
	const resolved = outcomeCount('resolved') + oralAgreements;
	const failed = outcomeCount('failed');
	const perMonth = new Map(
		setOf('month').map((row) => [row.month, { key: row.month!, cases: row.cases, resolved: row.resolved }])
	);
	const monthKeys: string[] = [];
	for (let month = period.from; month <= period.to; month = addMonths(month, 1)) monthKeys.push(month);
	return {
		period,
		orgId: filters.org ?? null,
		refreshedAt: refreshed[0]?.at ?? null,
		totals: {
			cases: all?.cases ?? 0,
			resolved,
			oralAgreements,
			failed,
			successRate: resolved + failed ? resolved / (resolved + failed) : null,
			averageDaysToResolution: all?.resolved ? Number(all.resolvedDays) / all.resolved : null,
			performed,
			// Performance is read live and the outcomes from the statistics, which may lag a few minutes.
			performedShare: resolved ? Math.min(1, performed / resolved) : null
		},
		live: { open, overdue, nearDeadline },
		byType: tally('disputeType', (row) => row.disputeType),
		byStatus: tally('status', (row) => row.status),
		byOutcome,
		byVillage: villageRows.map((row) => ({ ...row, name: names.find((n) => n.id === row.key)?.name ?? '' })),
		byMonth: monthKeys.map((key) => perMonth.get(key) ?? { key, cases: 0, resolved: 0 })
	};
}
