/**
 * The dashboard, assessment, monthly report, warnings and drill-down over
 * 1,000,000 cases, timed through the app's own functions as the town admin
 * and a village mediator see them, and the upkeep behind them: rebuilding
 * the statistics tables and sweeping the warning rules.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { listCases } from '#server/cases/list-cases.ts';
import * as schema from '#server/db/schema.ts';
import { getAssessment } from '#server/insight/get-assessment.ts';
import { getDashboard } from '#server/insight/get-dashboard.ts';
import { listWarnings } from '#server/insight/list-warnings.ts';
import { getMonthlyReport } from '#server/insight/monthly-report.ts';
import { addMonths, monthOf } from '#server/insight/period.ts';
import { refreshStatistics } from '#server/insight/refresh-statistics.ts';
import { sweepWarnings } from '#server/insight/sweep-warnings.ts';
import { CASE_STATUSES, DISPUTE_TYPES } from '#shared/cases.ts';
import type { Actor } from '#shared/roles.ts';
import { BENCH_CASES, benchDatabase } from './seed-cases.ts';

export const statisticsSectionTitle = `Statistics: dashboard, assessment and warnings (${BENCH_CASES.toLocaleString('en')} cases)`;

const WARM_UP = 5;
const ITERATIONS = 60;
const BUDGET_MS = 30_000;
/** The bound on every dashboard query, in server time. */
const TARGET_MS = 300;

type Scenario = { label: string; viewer: string; target: number | null; run: (i: number) => Promise<unknown> };
type Result = { scenario: Scenario; samples: number[] };

const nth = <T>(items: readonly T[], i: number): T => items[i % items.length];

function percentile(samples: number[], p: number): number {
	const sorted = [...samples].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(scenario: Scenario, iterations = ITERATIONS, warmUp = WARM_UP): Promise<Result> {
	const deadline = performance.now() + BUDGET_MS;
	for (let i = 0; i < warmUp; i++) await scenario.run(iterations + i);
	const samples: number[] = [];
	for (let i = 0; i < iterations && (samples.length < 5 || performance.now() < deadline); i++) {
		const started = performance.now();
		await scenario.run(i);
		samples.push(performance.now() - started);
	}
	const result = { scenario, samples };
	console.log(
		`  ${scenario.label} (${scenario.viewer}): p50 ${percentile(samples, 50).toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms`
	);
	return result;
}

export async function benchStatistics(options: { reseed: boolean }): Promise<string> {
	const { url } = await benchDatabase(options);
	const client = postgres(url, { max: 10, onnotice: () => {} });
	const db = drizzle(client, { schema });
	try {
		const actor = async (where: postgres.PendingQuery<postgres.Row[]>): Promise<Actor> => {
			const [user] = await client<Actor[]>`
				select u.id, u.username, u.display_name as "displayName", u.role, u.org_node_id as "orgNodeId",
					u.must_change_password as "mustChangePassword"
				from users u left join org_nodes o on o.id = u.org_node_id where ${where} order by u.username limit 1`;
			return user;
		};
		const admin = await actor(client`u.role = 'admin'`);
		const villageMediator = await actor(client`u.role = 'mediator' and o.name = '石桥村'`);
		const villageIds = (
			await client<{ id: string }[]>`select id from org_nodes where kind = 'village' order by name`
		).map((row) => row.id);
		const now = new Date();
		const thisMonth = monthOf(now);
		const months = Array.from({ length: 36 }, (_, i) => addMonths(thisMonth, -i));
		const allTime = { from: addMonths(thisMonth, -35), to: thisMonth };

		const upkeep: Result[] = [];
		console.log('  rebuilding the statistics tables');
		upkeep.push(
			await measure(
				{ label: 'rebuild the statistics tables', viewer: 'sweep', target: null, run: () => refreshStatistics(db) },
				3,
				0
			)
		);
		upkeep.push(
			await measure(
				{
					label:
						'a process’s first warning sweep: deadlines, surges, and the per-case rules over the last hour’s cases',
					viewer: 'sweep',
					target: null,
					run: () => sweepWarnings(db, new Date(Date.now() - 3_600_000))
				},
				1,
				0
			)
		);
		const [{ warnings: warningCount }] = await client<
			{ warnings: number }[]
		>`select count(*)::int as warnings from warnings`;

		const scenarios: Scenario[] = [
			{ label: 'one round trip (`select 1`)', viewer: 'town admin', target: null, run: () => client`select 1` },
			{
				label: 'dashboard, last 12 months',
				viewer: 'town admin',
				target: TARGET_MS,
				run: () => getDashboard(db, admin, {})
			},
			{
				label: 'dashboard, all 36 months',
				viewer: 'town admin',
				target: TARGET_MS,
				run: () => getDashboard(db, admin, allTime)
			},
			{
				label: 'dashboard, one month',
				viewer: 'town admin',
				target: TARGET_MS,
				run: (i) => getDashboard(db, admin, { from: nth(months, i), to: nth(months, i) })
			},
			{
				label: 'dashboard, a village’s subtree, all 36 months',
				viewer: 'town admin',
				target: TARGET_MS,
				run: (i) => getDashboard(db, admin, { ...allTime, org: nth(villageIds, i) })
			},
			{
				label: 'dashboard, last 12 months',
				viewer: 'village mediator',
				target: TARGET_MS,
				run: () => getDashboard(db, villageMediator, {})
			},
			{
				label: 'assessment, last 12 months',
				viewer: 'town admin',
				target: TARGET_MS,
				run: () => getAssessment(db, admin, {})
			},
			{
				label: 'assessment, all 36 months',
				viewer: 'town admin',
				target: TARGET_MS,
				run: () => getAssessment(db, admin, allTime)
			},
			{
				label: 'monthly report',
				viewer: 'town admin',
				target: TARGET_MS,
				run: (i) => getMonthlyReport(db, admin, { month: nth(months, i) })
			},
			{
				label: `warnings page (${warningCount.toLocaleString('en')} raised)`,
				viewer: 'town admin',
				target: TARGET_MS,
				run: () => listWarnings(db, admin, {})
			},
			{
				label: 'drill-down: month + status',
				viewer: 'town admin',
				target: TARGET_MS,
				run: (i) => listCases(db, admin, { from: nth(months, i), to: nth(months, i), status: nth(CASE_STATUSES, i) })
			},
			{
				label: 'drill-down: 12 months + village + type',
				viewer: 'town admin',
				target: TARGET_MS,
				run: (i) =>
					listCases(db, admin, {
						from: addMonths(thisMonth, -11),
						to: thisMonth,
						villageId: nth(villageIds, i),
						disputeType: nth(DISPUTE_TYPES, i)
					})
			},
			{
				label: 'drill-down: 12 months + outcome',
				viewer: 'town admin',
				target: TARGET_MS,
				run: (i) =>
					listCases(db, admin, {
						from: addMonths(thisMonth, -11),
						to: thisMonth,
						outcome: nth(['resolved', 'failed', 'withdrawn', 'rejected'], i)
					})
			},
			{
				label: 'drill-down: overdue',
				viewer: 'village mediator',
				target: TARGET_MS,
				run: () => listCases(db, villageMediator, { deadline: 'overdue' })
			}
		];
		const results: Result[] = [];
		for (const scenario of scenarios) results.push(await measure(scenario));
		const [sizes] = await client<{ cases: string; mediators: string; rows: number; mediatorRows: number }[]>`
			select pg_size_pretty(pg_total_relation_size('case_statistics')) as cases,
				pg_size_pretty(pg_total_relation_size('mediator_statistics')) as mediators,
				(select count(*)::int from case_statistics) as rows, (select count(*)::int from mediator_statistics) as "mediatorRows"`;
		return section(results, upkeep, sizes);
	} finally {
		await client.end();
	}
}

const table = (head: string[], rows: (string | number)[][]) =>
	[head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

function section(
	results: Result[],
	upkeep: Result[],
	sizes: { cases: string; mediators: string; rows: number; mediatorRows: number }
): string {
	const row = ({ scenario, samples }: Result) => {
		const p95 = percentile(samples, 95);
		const verdict = scenario.target === null ? '' : `< ${scenario.target} ${p95 < scenario.target ? '✓' : '✗'}`;
		return [
			scenario.label,
			scenario.viewer,
			samples.length,
			...[50, 95, 99, 100].map((p) => percentile(samples, p).toFixed(1)),
			verdict
		];
	};
	return [
		'Reproduce: `npm run bench -- --only statistics` (reuses the seeded database `tiaojie_bench` of the cases benchmark). The machine was shared with other work while it ran (the load average above): the times are upper bounds.',
		`The dashboard reads the statistics tables (\`case_statistics\`: ${sizes.rows.toLocaleString('en')} rows, ${sizes.cases}; \`mediator_statistics\`: ${sizes.mediatorRows.toLocaleString('en')} rows, ${sizes.mediators}), rebuilt in one transaction every 10 minutes and when a dashboard finds them over 5 minutes old; its open, overdue and near-deadline counts come live from the cases through the partial indexes on open cases. Each scenario calls the app's function (\`getDashboard\`, \`getAssessment\`, the monthly report, \`listWarnings\`, \`listCases\`) ${ITERATIONS} times after ${WARM_UP} warm-up calls (fewer when 30 s run out first), varying months and villages per call. Times are in ms, measured in the client, including every query of the call; the target (the issue's 300 ms) is for p95.`,
		table(['Scenario', 'As', 'Runs', 'p50', 'p95', 'p99', 'max', 'Target'], results.map(row)),
		'The upkeep, in the background (not on any page):',
		table(['Task', 'By', 'Runs', 'p50', 'p95', 'p99', 'max', 'Target'], upkeep.map(row))
	].join('\n\n');
}
