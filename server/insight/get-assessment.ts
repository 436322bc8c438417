import { and, avg, count, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { RESOLVED_OUTCOMES } from '#shared/cases.ts';
import type { Actor } from '#shared/roles.ts';
import { statisticsFilterSchema } from '#shared/statistics.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import {
	caseMediators,
	cases,
	caseStatistics,
	committees,
	mediatorStatistics,
	satisfactionSurveys,
	users
} from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { periodOf, withinPeriod, type Period } from './period.ts';
import { statisticsPaths, underPaths } from './statistics-scope.ts';

/** One committee's or mediator's record over the period (考核). */
export type AssessmentRow = {
	id: string;
	name: string;
	handled: number;
	resolved: number;
	failed: number;
	successRate: number | null;
	/** Days from filing to the end of the mediation, on average over the ended cases. */
	averageDays: number | null;
	/** Among the cases with a deadline: those that ended after it or are still open past it. */
	overdueRate: number | null;
	satisfaction: number | null;
	surveys: number;
};

export type Assessment = { period: Period; committees: AssessmentRow[]; mediators: AssessmentRow[] };

type Measures = typeof caseStatistics | typeof mediatorStatistics;

const measuresOf = (table: Measures) => ({
	handled: sql<number>`sum(${table.cases})::int`,
	resolved: sql<number>`coalesce(sum(${table.cases}) filter (where ${inArray(table.outcome, [...RESOLVED_OUTCOMES])}), 0)::int`,
	failed: sql<number>`coalesce(sum(${table.cases}) filter (where ${table.outcome} = 'failed'), 0)::int`,
	ended: sql<number>`coalesce(sum(${table.cases}) filter (where ${table.outcome} is not null), 0)::int`,
	durationDays: sql<number>`sum(${table.durationDays})`,
	withDeadline: sql<number>`sum(${table.withDeadline})::int`,
	overdue: sql<number>`sum(${table.overdue})::int`
});

type Measured = { id: string; name: string } & { [K in keyof ReturnType<typeof measuresOf>]: number };

const ratio = (part: number, whole: number) => (whole ? part / whole : null);

function rowOf(measured: Measured, satisfaction: Map<string, { score: number; surveys: number }>): AssessmentRow {
	const survey = satisfaction.get(measured.id);
	return {
		id: measured.id,
		name: measured.name,
		handled: measured.handled,
		resolved: measured.resolved,
		failed: measured.failed,
		successRate: ratio(measured.resolved, measured.resolved + measured.failed),
		averageDays: ratio(Number(measured.durationDays), measured.ended),
		overdueRate: ratio(measured.overdue, measured.withDeadline),
		satisfaction: survey ? survey.score : null,
		surveys: survey?.surveys ?? 0
	};
}

/**
 * The assessment of the committees and mediators whose cases (filed in the
 * period, handled in the chosen subtree) the actor may see, with the parties'
 * satisfaction from the surveys on those cases.
 */
export async function getAssessment(db: Db, actor: Actor, input: unknown, now = new Date()): Promise<Assessment> {
	authorize(actor, 'statistics:view');
	const filters = parseInput(statisticsFilterSchema, input);
	const period = periodOf(filters, now);
	const paths = await statisticsPaths(db, actor, filters.org);
	const inScope = (table: Measures): SQL =>
		and(
			underPaths(table.committeePath, paths),
			gte(table.month, `${period.from}-01`),
			lte(table.month, `${period.to}-01`)
		)!;
	const surveyed = and(underPaths(cases.committeePath, paths), ...withinPeriod(cases.createdAt, period));
	const satisfactionBy = async (rows: Promise<{ id: string; score: string | null; surveys: number }[]>) =>
		new Map((await rows).map((row) => [row.id, { score: Number(row.score), surveys: row.surveys }]));
	const [committeeRows, mediatorRows, committeeSatisfaction, mediatorSatisfaction] = await Promise.all([
		db
			.select({ id: committees.id, name: committees.name, ...measuresOf(caseStatistics) })
			.from(caseStatistics)
			.innerJoin(committees, eq(committees.id, caseStatistics.committeeId))
			.where(inScope(caseStatistics))
			.groupBy(committees.id, committees.name)
			.orderBy(committees.name),
		db
			.select({ id: users.id, name: users.displayName, ...measuresOf(mediatorStatistics) })
			.from(mediatorStatistics)
			.innerJoin(users, eq(users.id, mediatorStatistics.mediatorId))
			.where(inScope(mediatorStatistics))
			.groupBy(users.id, users.displayName)
			.orderBy(users.displayName),
		satisfactionBy(
			db
				.select({ id: cases.committeeId, score: avg(satisfactionSurveys.score), surveys: count() })
				.from(satisfactionSurveys)
				.innerJoin(cases, eq(cases.id, satisfactionSurveys.caseId))
				.where(surveyed)
				.groupBy(cases.committeeId)
		),
		satisfactionBy(
			db
				.select({ id: caseMediators.userId, score: avg(satisfactionSurveys.score), surveys: count() })
				.from(satisfactionSurveys)
				.innerJoin(cases, eq(cases.id, satisfactionSurveys.caseId))
				.innerJoin(caseMediators, eq(caseMediators.caseId, cases.id))
				.where(surveyed)
				.groupBy(caseMediators.userId)
		)
	]);
	return {
		period,
		committees: committeeRows.map((row) => rowOf(row, committeeSatisfaction)),
		mediators: mediatorRows.map((row) => rowOf(row, mediatorSatisfaction))
	};
}
