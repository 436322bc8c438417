/**
 * The case list and its Chinese text search over 1,000,000 cases, timed
 * through the app's own `listCases` as the town admin and two mediators see it.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { listCases, type CasePage } from '#server/cases/list-cases.ts';
import * as schema from '#server/db/schema.ts';
import { CASE_STATUSES, DEADLINE_STATUSES, DISPUTE_TYPES } from '#shared/cases.ts';
import type { Actor } from '#shared/roles.ts';
import { BENCH_CASES, benchDatabase } from './seed-cases.ts';

export const casesSectionTitle = `Cases: list and search (${BENCH_CASES.toLocaleString('en')} cases)`;

const WARM_UP = 20;
const ITERATIONS = 200;
/** A scenario stops early (after at least 10 runs) when it is so slow that this runs out. */
const BUDGET_MS = 60_000;
const PAGES = 50;
const TARGET_MS = { reference: null, list: 50, search: 200 } as const;

/** Search terms that occur in the phrases the seed writes, from very common to fairly rare. */
const COMMON_WORDS = ['协商', '土地', '赔偿', '邻居', '承包', '工资', '欠条', '噪音', '遗产', '围墙', '农药', '采光'];
const SINGLE_CHARACTERS = ['王', '地', '水', '钱', '李', '田', '房', '狗'];
/** Nothing in the seed contains these, though some of their characters occur. */
const ABSENT_TERMS = ['飞机', '股票', '高铁', '区块链', '演唱会', '地铁站', '火箭', '海鲜'];

type Viewer = 'town admin' | 'town mediator' | 'village mediator';
type Filters = Record<string, string>;
type Logged = { query: string; params: unknown[] };
type Sample = { ms: number; rows: number; query: Logged };
type Scenario = {
	kind: keyof typeof TARGET_MS;
	label: string;
	viewer: Viewer;
	/** Timed runs; iteration `i` gets its own filters, so that consecutive runs do not repeat a query. */
	measure: () => Promise<Sample[]>;
};
type Result = { scenario: Scenario; samples: Sample[] };
type Town = {
	actors: Record<Viewer, Actor>;
	villageIds: string[];
	mediatorIds: string[];
	fullNames: string[];
	shortNames: string[];
};

export async function benchCases(options: { reseed: boolean }): Promise<string> {
	const { url, seedSeconds } = await benchDatabase(options);
	const client = postgres(url, { max: 10, onnotice: () => {} });
	// The last statement drizzle sent, so that the slowest run can be explained afterwards.
	let lastQuery: Logged = { query: '', params: [] };
	const db = drizzle(client, { schema, logger: { logQuery: (query, params) => void (lastQuery = { query, params }) } });
	try {
		const town = await townOf(client);
		const list = async (viewer: Viewer, filters: Filters): Promise<Sample & { page: CasePage }> => {
			const started = performance.now();
			const page = await listCases(db, town.actors[viewer], filters);
			return { ms: performance.now() - started, rows: page.cases.length, query: lastQuery, page };
		};
		const roundTrip = async (): Promise<Sample> => {
			const started = performance.now();
			await client`select 1`;
			return { ms: performance.now() - started, rows: 1, query: { query: 'select 1', params: [] } };
		};

		const results: Result[] = [];
		for (const scenario of [
			{
				kind: 'reference',
				label: 'one round trip (`select 1`)',
				viewer: 'town admin',
				measure: () => repeat(roundTrip)
			},
			...scenarios(town, list)
		] satisfies Scenario[]) {
			results.push({ scenario, samples: await scenario.measure() });
			console.log(`  ${summary(results.at(-1)!)}`);
		}
		const slowest = results.reduce((a, b) => (percentile(b.samples, 95) > percentile(a.samples, 95) ? b : a));
		const plan = await explain(client, slowest.samples.reduce((a, b) => (b.ms > a.ms ? b : a)).query);
		console.log(`\nslowest: ${summary(slowest)}\n${plan}\n`);
		return section(results, await describeDatabase(client), seedSeconds, slowest, plan);
	} finally {
		await client.end();
	}
}

/** The seeded people and places the scenarios draw their filters from. */
async function townOf(client: postgres.Sql): Promise<Town> {
	const actor = async (where: postgres.PendingQuery<postgres.Row[]>): Promise<Actor> => {
		const [user] = await client<Actor[]>`
			select u.id, u.username, u.display_name as "displayName", u.role, u.org_node_id as "orgNodeId",
				u.must_change_password as "mustChangePassword"
			from users u left join committee_members m on m.user_id = u.id
			left join committees c on c.id = m.committee_id left join org_nodes o on o.id = c.org_node_id
			where ${where} order by u.username limit 1`;
		return user;
	};
	const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((row) => row.id);
	// A fresh sample of real party names each run, so that the search terms vary.
	const names = async (length: number) =>
		(
			await client<{ name: string }[]>`
				select distinct name from case_parties tablesample system (1) where char_length(name) = ${length} limit 200`
		).map((row) => row.name);
	return {
		actors: {
			'town admin': await actor(client`u.role = 'admin'`),
			'town mediator': await actor(client`u.role = 'mediator' and o.kind = 'town'`),
			// The busiest village: the seed sends the most cases to the first one.
			'village mediator': await actor(client`u.role = 'mediator' and o.name = '石桥村'`)
		},
		villageIds: await ids(client`select id from org_nodes where kind = 'village' order by name`),
		mediatorIds: await ids(client`select id from users where role = 'mediator' order by username`),
		fullNames: await names(3),
		shortNames: await names(2)
	};
}

const nth = <T>(items: readonly T[], i: number): T => items[i % items.length];

function scenarios(town: Town, list: (viewer: Viewer, filters: Filters) => Promise<Sample & { page: CasePage }>) {
	const timed =
		(kind: 'list' | 'search') =>
		(label: string, viewer: Viewer, filters: (i: number) => Filters): Scenario => ({
			kind,
			label,
			viewer,
			measure: () => repeat((i) => list(viewer, filters(i)))
		});
	const listing = timed('list');
	const search = timed('search');
	return [
		listing('first page, no filter', 'town admin', () => ({})),
		listing('first page, no filter', 'town mediator', () => ({})),
		listing('first page, no filter', 'village mediator', () => ({})),
		listing('status', 'town admin', (i) => ({ status: nth(CASE_STATUSES, i) })),
		listing('status', 'village mediator', (i) => ({ status: nth(CASE_STATUSES, i) })),
		listing('dispute type + village', 'town admin', (i) => ({
			disputeType: nth(DISPUTE_TYPES, i),
			villageId: nth(town.villageIds, i)
		})),
		listing('overdue', 'town admin', () => ({ deadline: 'overdue' })),
		listing('overdue', 'village mediator', () => ({ deadline: 'overdue' })),
		listing('near deadline', 'town admin', () => ({ deadline: 'near' })),
		listing('mediator', 'town admin', (i) => ({ mediatorId: nth(town.mediatorIds, i) })),
		{
			kind: 'list',
			label: `pages 1–${PAGES} of 4 lists, following the cursor`,
			viewer: 'town admin',
			measure: () => followCursors(town, list)
		},
		search('common word (2 characters)', 'town admin', (i) => ({ q: nth(COMMON_WORDS, i) })),
		search('common word (2 characters)', 'village mediator', (i) => ({ q: nth(COMMON_WORDS, i) })),
		search('full name (3 characters)', 'town admin', (i) => ({ q: nth(town.fullNames, i) })),
		search('full name (3 characters)', 'village mediator', (i) => ({ q: nth(town.fullNames, i) })),
		search('two-character name', 'town admin', (i) => ({ q: nth(town.shortNames, i) })),
		search('one character', 'town admin', (i) => ({ q: nth(SINGLE_CHARACTERS, i) })),
		search('absent term', 'town admin', (i) => ({ q: nth(ABSENT_TERMS, i) })),
		search('common word + status', 'town admin', (i) => ({ q: nth(COMMON_WORDS, i), status: nth(CASE_STATUSES, i) })),
		search('full name + status', 'town admin', (i) => ({ q: nth(town.fullNames, i), status: nth(CASE_STATUSES, i) }))
	] satisfies Scenario[];
}

async function repeat(run: (i: number) => Promise<Sample>): Promise<Sample[]> {
	const deadline = performance.now() + BUDGET_MS;
	for (let i = 0; i < WARM_UP && performance.now() < deadline; i++) await run(ITERATIONS + i);
	const samples: Sample[] = [];
	for (let i = 0; i < ITERATIONS && (samples.length < 10 || performance.now() < deadline); i++)
		samples.push(await run(i));
	return samples;
}

/** Each page timed: keyset pagination should keep page 50 as cheap as page 1. */
async function followCursors(
	town: Town,
	list: (viewer: Viewer, filters: Filters) => Promise<Sample & { page: CasePage }>
): Promise<Sample[]> {
	const lists: Filters[] = [{}, { status: 'closed' }, { disputeType: 'neighbour' }, { villageId: town.villageIds[1] }];
	const samples: Sample[] = [];
	for (const filters of lists) {
		let cursor: string | null = null;
		for (let page = 0; page < PAGES && (page === 0 || cursor); page++) {
			const sample = await list('town admin', cursor ? { ...filters, cursor } : filters);
			samples.push(sample);
			cursor = sample.page.nextCursor;
		}
	}
	return samples;
}

function percentile(samples: Sample[], p: number): number {
	const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (value: number) => value.toFixed(1);

function summary({ scenario, samples }: Result): string {
	const [p50, p95] = [percentile(samples, 50), percentile(samples, 95)];
	return `${scenario.label} (${scenario.viewer}): p50 ${ms(p50)} ms, p95 ${ms(p95)} ms`;
}

async function explain(client: postgres.Sql, { query, params }: Logged): Promise<string> {
	const rows = await client.unsafe(`explain (analyze, buffers) ${query}`, params as postgres.ParameterOrJSON<never>[]);
	return rows.map((row) => row['QUERY PLAN']).join('\n');
}

type Counts = Record<
	'villages' | 'groups' | 'committees' | 'mediators' | 'gridWorkers' | 'parties' | 'assignments' | 'overdue',
	number
>;
type DatabaseFacts = {
	server: string;
	size: string;
	counts: Counts;
	statuses: { status: string; count: number }[];
	relations: { name: string; size: string }[];
};

/** What the benchmark ran against: the server, the seeded town in numbers, and the sizes of the case tables and indexes. */
async function describeDatabase(client: postgres.Sql): Promise<DatabaseFacts> {
	const [{ server, size }] = await client<{ server: string; size: string }[]>`
		select format('PostgreSQL %s (shared_buffers %s, work_mem %s, default settings)',
			current_setting('server_version'), current_setting('shared_buffers'), current_setting('work_mem')) as server,
			pg_size_pretty(pg_database_size(current_database())) as size`;
	const [counts] = await client<Counts[]>`
		select (select count(*) from org_nodes where kind = 'village')::int as villages,
			(select count(*) from org_nodes where kind = 'group')::int as groups,
			(select count(*) from committees)::int as committees,
			(select count(*) from users where role = 'mediator')::int as mediators,
			(select count(*) from users where role = 'grid_worker')::int as "gridWorkers",
			(select count(*) from case_parties)::int as parties,
			(select count(*) from case_mediators)::int as assignments,
			(select count(*) from cases where status in ${client(DEADLINE_STATUSES)} and deadline < now())::int as overdue`;
	const statuses = await client<{ status: string; count: number }[]>`
		select status, count(*)::int as count from cases group by status order by count desc`;
	const relations = await client<{ name: string; size: string }[]>`
		select relname as name, pg_size_pretty(pg_relation_size(oid)) as size
		from pg_class where relname in ('cases', 'case_parties', 'case_mediators')
		union all
		select 'cases (TOAST)', pg_size_pretty(pg_relation_size(reltoastrelid)) from pg_class where relname = 'cases'
		union all
		select indexrelname, pg_size_pretty(pg_relation_size(indexrelid)) from pg_stat_user_indexes where relname = 'cases'`;
	return { server, size, counts, statuses, relations };
}

const table = (head: string[], rows: (string | number)[][]) =>
	[head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

function section(results: Result[], facts: DatabaseFacts, seedSeconds: number, slowest: Result, plan: string) {
	const count = (n: number) => n.toLocaleString('en');
	const c = facts.counts;
	const resultRow = ({ scenario, samples }: Result) => {
		const target = TARGET_MS[scenario.kind];
		const verdict = target === null ? '' : `< ${target} ${percentile(samples, 95) < target ? '✓' : '✗'}`;
		const rows = samples.reduce((sum, s) => sum + s.rows, 0) / samples.length;
		const times = [50, 95, 99, 100].map((p) => ms(percentile(samples, p)));
		return [scenario.kind, scenario.label, scenario.viewer, samples.length, ...times, verdict, rows.toFixed(1)];
	};
	const statusMix = facts.statuses
		.map(({ status, count }) => `${status} ${((100 * count) / BENCH_CASES).toFixed(1)} %`)
		.join(', ');
	return [
		`Reproduce: \`npm run bench\` (reuses the seeded database \`tiaojie_bench\`; \`npm run bench -- --reseed\` rebuilds it). Server: ${facts.server}, on the same machine.`,
		`The seed (\`tests/bench/seed-cases.ts\`, ${(seedSeconds / 60).toFixed(1)} min) builds one town of ${count(c.villages)} villages with ${count(c.groups)} groups, ${count(c.committees)} committees, ${count(c.mediators)} mediators and ${count(c.gridWorkers)} grid workers, and ${count(BENCH_CASES)} cases over 3 years: all 7 dispute types, facts of 60–200 characters, ${count(c.parties)} parties (2–3 a case), ${count(c.assignments)} mediator assignments. Statuses: ${statusMix}; ${count(c.overdue)} cases are overdue. The database holds ${facts.size}.`,
		`Each scenario calls \`listCases\` ${ITERATIONS} times after ${WARM_UP} warm-up calls (fewer, as _runs_ says, when a minute runs out first), with its filters varied per call: statuses, villages, mediators, and search terms that include party names sampled afresh from the database. Times are in ms, measured in the client and including the visibility look-up; the targets are for p95; _rows_ is the mean page length (25 at most).`,
		table(['Kind', 'Scenario', 'As', 'Runs', 'p50', 'p95', 'p99', 'max', 'Target', 'Rows'], results.map(resultRow)),
		table(
			['Relation', 'Size'],
			facts.relations.map((r) => [r.name, r.size])
		),
		`<details><summary>Plan of the slowest run of the slowest scenario: ${slowest.scenario.label} (${slowest.scenario.viewer})</summary>`,
		['```', plan, '```'].join('\n'),
		'</details>'
	].join('\n\n');
}
