/**
 * A benchmark database holding a busy town: 20 villages, their committees and
 * mediators, and 1,000,000 cases over three years. Seeding takes minutes, so a
 * complete database is reused; an incomplete one (or `--reseed`) is rebuilt.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { hashPassword } from '#server/auth/password.ts';
import { caseSearchText, searchTokens } from '#server/cases/search-tokens.ts';
import { openDatabase, type Database, type Db } from '#server/db/client.ts';
import { caseNumberCounters, committeeMembers, committees, installation, orgNodes, users } from '#server/db/schema.ts';
import {
	DEFAULT_DEADLINE_DAYS,
	type CaseChannel,
	type CaseOutcome,
	type CaseStatus,
	type DisputeType
} from '#shared/cases.ts';
import { caseFacts, clanSurnamesFor, personName, Random } from './case-text.ts';

export const BENCH_CASES = 1_000_000;
const DATABASE_NAME = 'tiaojie_bench';
/** Set on the database only once seeding has finished, so an interrupted seed is never reused. */
const SEEDED_MARK = `tiaojie bench: ${BENCH_CASES} cases, seeded in `;
/** Any bench user can log in with this, to look around the seeded town in the app. */
export const BENCH_PASSWORD = 'bench-password';

const DAY = 86_400_000;
const YEARS = 3;

/** `seedSeconds` is how long the seed took, in this run or when the reused database was made. */
export type BenchDatabase = { url: string; seedSeconds: number };

type Committee = { id: string; name: string; path: string; mediatorIds: string[] };
type Place = { id: string; name: string };
type Village = Place & {
	path: string;
	places: Place[];
	clan: string[];
	committee: Committee;
	gridWorkerId: string;
};
type Town = { id: string; villages: Village[]; committee: Committee; traffic: Committee; labour: Committee };

const VILLAGE_NAMES = ['石桥', '柳湾', '王家庄', '李家坝', '枫林', '青龙', '白沙', '桃园', '河口', '上塘']
	.concat(['下塘', '松岗', '黄泥', '新华', '红旗', '杨柳', '大坪', '双河', '东山', '西岭'])
	.map((name) => `${name}村`);
const GROUP_NAMES = ['第一村民小组', '第二村民小组', '第三村民小组'];

function databaseUrl(base: string, name: string): string {
	const url = new URL(base);
	url.pathname = `/${name}`;
	return url.href;
}

/** The seeded benchmark database, seeding it first when it is missing, incomplete, or `reseed` asks for it. */
export async function benchDatabase(options: { reseed: boolean }): Promise<BenchDatabase> {
	const serverUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
	const url = databaseUrl(serverUrl, DATABASE_NAME);
	const server = postgres(serverUrl, { max: 1, onnotice: () => {} });
	try {
		const [found] = await server<{ mark: string | null }[]>`
			select shobj_description(oid, 'pg_database') as mark from pg_database where datname = ${DATABASE_NAME}`;
		const reuse = found?.mark?.startsWith(SEEDED_MARK) && !options.reseed;
		const started = performance.now();
		if (!reuse) {
			await server.unsafe(`drop database if exists ${DATABASE_NAME} with (force)`);
			await server.unsafe(`create database ${DATABASE_NAME}`);
		}
		const database = await openDatabase({ url, dataDir: null });
		try {
			if (reuse) {
				await migrateReused(database);
				return { url, seedSeconds: parseFloat(found.mark!.slice(SEEDED_MARK.length)) };
			}
			await database.migrate();
			await seed(database.db, url);
		} finally {
			await database.close();
		}
		const seedSeconds = (performance.now() - started) / 1000;
		await server.unsafe(`comment on database ${DATABASE_NAME} is '${SEEDED_MARK}${Math.round(seedSeconds)} s'`);
		return { url, seedSeconds };
	} finally {
		await server.end();
	}
}

/** Later migrations apply to a reused database too; fresh statistics then keep the planner honest. */
async function migrateReused(database: Database): Promise<void> {
	const count = async () => {
		const rows = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
		return (rows as unknown as { n: number }[])[0].n;
	};
	const before = await count();
	await database.migrate();
	if ((await count()) === before) return;
	console.log('new migrations applied: analyzing');
	await database.db.execute(sql`analyze cases, case_parties, case_mediators`);
}

async function seed(db: Db, url: string): Promise<void> {
	const random = new Random(20260101);
	const now = Date.now();
	console.log(`seeding ${BENCH_CASES.toLocaleString('en')} cases into ${DATABASE_NAME}`);
	const town = await seedTown(db, random);
	// Foreign keys go unchecked while loading (replica mode), so that the three tables can load in
	// parallel; every reference is made here, correct by construction.
	const pg = postgres(url, { max: 3, onnotice: () => {}, connection: { session_replication_role: 'replica' } });
	let counters: Map<number, number>;
	try {
		const indexes = await dropSecondaryIndexes(pg, ['cases', 'case_parties', 'case_mediators']);
		counters = await loadCases(pg, town, random, now);
		await recreateIndexes(pg, indexes);
		console.log('analyzing');
		await pg`vacuum (analyze) cases, case_parties, case_mediators`;
	} finally {
		await pg.end();
	}
	await db.insert(caseNumberCounters).values([...counters].map(([year, last]) => ({ townId: town.id, year, last })));
}

/** The org tree, committees, mediators and grid workers, written through the app's schema. */
async function seedTown(db: Db, random: Random): Promise<Town> {
	const passwordHash = await hashPassword(BENCH_PASSWORD);
	const nodes: (typeof orgNodes.$inferInsert)[] = [];
	const committeeRows: (typeof committees.$inferInsert)[] = [];
	const userRows: (typeof users.$inferInsert)[] = [];
	const memberRows: (typeof committeeMembers.$inferInsert)[] = [];
	const townId = randomUUID();
	const townPath = `/${townId}/`;
	nodes.push({ id: townId, kind: 'town', name: '青石镇', code: 'QSZ', path: townPath });
	userRows.push({ username: 'admin', displayName: '管理员', role: 'admin', orgNodeId: townId, passwordHash });

	let mediatorCount = 0;
	const committeeOn = (node: { id: string; path: string }, name: string, mediators: number): Committee => {
		const committee: Committee = { id: randomUUID(), name, path: node.path, mediatorIds: [] };
		committeeRows.push({ id: committee.id, orgNodeId: node.id, name });
		for (let i = 0; i < mediators; i++) {
			const id = randomUUID();
			const username = `mediator-${String(++mediatorCount).padStart(3, '0')}`;
			const displayName = personName(random, clanSurnamesFor(random));
			userRows.push({ id, username, displayName, role: 'mediator', orgNodeId: node.id, passwordHash });
			memberRows.push({ committeeId: committee.id, userId: id, position: i === 0 ? 'head' : 'member' });
			committee.mediatorIds.push(id);
		}
		return committee;
	};
	const body = (name: string, committeeName: string): Committee => {
		const id = randomUUID();
		const node = { id, parentId: townId, kind: 'mediation_body' as const, name, path: `${townPath}${id}/` };
		nodes.push(node);
		return committeeOn(node, committeeName, 3);
	};

	const committee = committeeOn({ id: townId, path: townPath }, '青石镇人民调解委员会', 5);
	const traffic = body('青石镇道路交通事故调解室', '青石镇道路交通事故人民调解委员会');
	const labour = body('青石镇劳动争议调解中心', '青石镇劳动争议人民调解委员会');
	const villages = VILLAGE_NAMES.map((name, v): Village => {
		const id = randomUUID();
		const path = `${townPath}${id}/`;
		nodes.push({ id, parentId: townId, kind: 'village', name, path });
		const places: Place[] = [{ id, name }];
		for (const group of GROUP_NAMES) {
			const groupId = randomUUID();
			nodes.push({ id: groupId, parentId: id, kind: 'group', name: group, path: `${path}${groupId}/` });
			places.push({ id: groupId, name: `${name}${group}` });
		}
		const gridWorkerId = randomUUID();
		userRows.push({
			id: gridWorkerId,
			username: `grid-${String(v + 1).padStart(2, '0')}`,
			displayName: personName(random, clanSurnamesFor(random)),
			role: 'grid_worker',
			orgNodeId: id,
			passwordHash
		});
		return {
			id,
			name,
			path,
			places,
			clan: clanSurnamesFor(random),
			committee: committeeOn({ id, path }, `${name}人民调解委员会`, 3),
			gridWorkerId
		};
	});

	await db.transaction(async (tx) => {
		await tx.insert(orgNodes).values(nodes);
		await tx.insert(committees).values(committeeRows);
		await tx.insert(users).values(userRows);
		await tx.insert(committeeMembers).values(memberRows);
		await tx.insert(installation).values({ rootOrgId: townId });
	});
	return { id: townId, villages, committee, traffic, labour };
}

type IndexDefinition = { name: string; definition: string };

/**
 * Indexes not backing a constraint, as the migrations created them: bulk
 * loading without them and building them afterwards is several times faster.
 */
async function dropSecondaryIndexes(pg: postgres.Sql, tables: string[]): Promise<IndexDefinition[]> {
	const indexes = await pg<IndexDefinition[]>`
		select i.relname as name, pg_get_indexdef(i.oid) as definition
		from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
		where t.relname in ${pg(tables)} and not exists (select from pg_constraint c where c.conindid = i.oid)`;
	for (const index of indexes) await pg.unsafe(`drop index ${index.name}`);
	return indexes;
}

/** Builds the GIN index on one connection and the rest on another, so both cores work. */
async function recreateIndexes(pg: postgres.Sql, indexes: IndexDefinition[]): Promise<void> {
	const started = performance.now();
	const build = async (lane: IndexDefinition[]) => {
		await pg.begin(async (tx) => {
			await tx`set local maintenance_work_mem = '1GB'`;
			for (const index of lane) {
				await tx.unsafe(index.definition);
				console.log(`  index ${index.name} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
			}
		});
	};
	const isGin = (index: IndexDefinition) => / USING gin /.test(index.definition);
	console.log('building indexes');
	await Promise.all([build(indexes.filter(isGin)), build(indexes.filter((index) => !isGin(index)))]);
}

/** A value in COPY's text format. */
function copyValue(value: string | number | null): string {
	if (value === null) return '\\N';
	if (typeof value === 'number') return String(value);
	return value.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
}

const copyRow = (values: (string | number | null)[]) => values.map(copyValue).join('\t') + '\n';
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function write(stream: Writable, chunk: string): Promise<void> {
	if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Streams the cases, their parties and mediators into three COPYs at once; returns the last case number of each year. */
async function loadCases(pg: postgres.Sql, town: Town, random: Random, now: number): Promise<Map<number, number>> {
	const started = performance.now();
	const streams = await Promise.all([
		pg`copy cases (id, number, dispute_type, status, channel, facts, claims, amount_cents, village_id, committee_id,
			committee_path, reporter_id, registered_by_id, referred_from_committee_id, referral_target, accepted_at, deadline,
			closed_at, outcome, ended_at, search_text, search_tokens, created_at, updated_at) from stdin`.writable(),
		pg`copy case_parties (id, case_id, side, name, phone, address, tracking_token_hash, created_at) from stdin`.writable(),
		pg`copy case_mediators (case_id, user_id, created_at) from stdin`.writable()
	]);
	const counters = new Map<number, number>();
	const start = now - YEARS * 365 * DAY;
	const slot = (now - start) / BENCH_CASES;
	const batch = 5_000;
	for (let first = 0; first < BENCH_CASES; first += batch) {
		const chunks = ['', '', ''];
		for (let i = first; i < first + batch; i++) {
			const createdAt = Math.floor(start + (i + random.next()) * slot);
			const year = new Date(createdAt).getFullYear();
			const serial = (counters.get(year) ?? 0) + 1;
			counters.set(year, serial);
			const rows = caseRows(town, random, createdAt, now, `${year}-QSZ-${String(serial).padStart(6, '0')}`);
			chunks[0] += rows.case;
			chunks[1] += rows.parties;
			chunks[2] += rows.mediators;
		}
		await Promise.all(streams.map((stream, s) => write(stream, chunks[s])));
		const done = first + batch;
		if (done % 100_000 === 0)
			console.log(`  ${done.toLocaleString('en')} cases (${((performance.now() - started) / 1000).toFixed(0)} s)`);
	}
	await Promise.all(
		streams.map(async (stream) => {
			stream.end();
			await finished(stream);
		})
	);
	return counters;
}

const DISPUTE_WEIGHTS: [DisputeType, number][] = [
	['neighbour', 25],
	['land', 18],
	['family', 17],
	['contract', 14],
	['damage_compensation', 12],
	['labour', 8],
	['other', 6]
];
const CHANNEL_WEIGHTS: [CaseChannel, number][] = [
	['walk_in', 45],
	['grid_report', 30],
	['online', 15],
	['referral', 10]
];

function weighted<T>(random: Random, weights: [T, number][]): T {
	let left = random.next() * weights.reduce((sum, [, weight]) => sum + weight, 0);
	for (const [value, weight] of weights) if ((left -= weight) < 0) return value;
	return weights[0][0];
}

/** Where the case went: most stay in their village, labour and traffic cases often go to the specialist bodies. */
function handlingCommittee(town: Town, village: Village, type: DisputeType, channel: CaseChannel, random: Random) {
	if (type === 'labour' && random.chance(0.3)) return town.labour;
	if (type === 'damage_compensation' && random.chance(0.25)) return town.traffic;
	if (channel === 'referral' || random.chance(0.08)) return town.committee;
	return village.committee;
}

function caseRows(town: Town, random: Random, createdAt: number, now: number, number: string) {
	const id = randomUUID();
	const village = town.villages[Math.floor(town.villages.length * random.next() ** 1.3)];
	const place = random.chance(0.4) ? village.places[0] : random.pick(village.places.slice(1));
	const type = weighted(random, DISPUTE_WEIGHTS);
	const channel = weighted(random, CHANNEL_WEIGHTS);
	let committee = handlingCommittee(town, village, type, channel, random);
	const names = [personName(random, village.clan), personName(random, village.clan)];
	if (random.chance(0.3)) names.push(personName(random, village.clan));
	const month = new Date(createdAt - random.int(0, 120) * DAY);
	const { facts, claims } = caseFacts(random, type, {
		applicant: names[0],
		respondent: names[1],
		place: place.name,
		month: `${month.getFullYear()}年${month.getMonth() + 1}月`
	});
	const searchText = caseSearchText(facts, names);
	const life = lifecycle(random, createdAt, now);
	if (life.escalated) committee = town.committee;
	const registrar = channel === 'walk_in' || channel === 'referral' ? random.pick(committee.mediatorIds) : null;
	const withMoney = type === 'contract' || type === 'labour' || type === 'damage_compensation';

	const caseRow = copyRow([
		id,
		number,
		type,
		life.status,
		channel,
		facts,
		claims,
		withMoney ? random.int(5, 2000) * 10_000 : null,
		place.id,
		committee.id,
		committee.path,
		channel === 'grid_report' ? village.gridWorkerId : null,
		registrar,
		channel === 'referral' ? village.committee.id : null,
		life.status === 'failed' || (life.status === 'closed' && life.failed)
			? random.pick(['court', 'arbitration'])
			: null,
		iso(life.acceptedAt),
		iso(life.deadline),
		iso(life.closedAt),
		life.outcome,
		iso(life.endedAt),
		searchText,
		`{${searchTokens(searchText)
			.map((token) => `"${token}"`)
			.join(',')}}`,
		iso(createdAt),
		iso(life.updatedAt)
	]);
	const parties = names
		.map((name, p) =>
			copyRow([
				randomUUID(),
				id,
				p === 0 ? 'applicant' : 'respondent',
				name,
				`1${random.pick([3, 5, 8, 9])}${String(random.int(0, 999_999_999)).padStart(9, '0')}`,
				`${place.name}${random.int(1, 120)}号`,
				p === 0 && channel === 'online' ? randomBytes(32).toString('hex') : null,
				iso(createdAt)
			])
		)
		.join('');
	let mediators = '';
	if (life.acceptedAt !== null) {
		const team = committee.mediatorIds;
		const lead = random.int(0, team.length - 1);
		const chosen = random.chance(0.4) ? [team[lead], team[(lead + 1) % team.length]] : [team[lead]];
		mediators = chosen.map((userId) => copyRow([id, userId, iso(life.acceptedAt)])).join('');
	}
	return { case: caseRow, parties, mediators };
}

type Lifecycle = {
	status: CaseStatus;
	acceptedAt: number | null;
	deadline: number | null;
	closedAt: number | null;
	outcome: CaseOutcome | null;
	endedAt: number | null;
	updatedAt: number;
	escalated: boolean;
	failed: boolean;
};

/**
 * Where a case created at `createdAt` stands `now`: it is accepted or
 * rejected within days, mediated within weeks (some overrun the 30-day
 * deadline), then closed; a few are forgotten half-way and stay overdue.
 */
function lifecycle(random: Random, createdAt: number, now: number): Lifecycle {
	const life: Lifecycle = {
		status: 'submitted',
		acceptedAt: null,
		deadline: null,
		closedAt: null,
		outcome: null,
		endedAt: null,
		updatedAt: createdAt,
		escalated: false,
		failed: false
	};
	let at = createdAt;
	/** Moves on to `status` after `minDays`–`maxDays`, unless that lies in the future; false then. */
	const step = (status: CaseStatus, minDays: number, maxDays: number): boolean => {
		const next = at + (minDays + random.next() * (maxDays - minDays)) * DAY;
		if (next > now) return false;
		at = next;
		life.status = status;
		life.updatedAt = next;
		return true;
	};
	const end = (outcome: CaseOutcome) => {
		life.outcome = outcome;
		life.endedAt = at;
	};
	const close = () => {
		if (random.chance(0.93) && step('closed', 1, 15)) life.closedAt = at;
	};
	const accept = () => {
		if (!step('accepted', 0.1, 3)) return false;
		life.acceptedAt = at;
		life.deadline = at + DEFAULT_DEADLINE_DAYS * DAY;
		return true;
	};

	const opening = random.next();
	if (opening < 0.09) {
		const outcome = opening < 0.06 ? 'rejected' : 'withdrawn';
		if (step(outcome, 0.2, 5)) {
			end(outcome);
			close();
		}
		return life;
	}
	if (!accept()) return life;
	const forgotten = random.chance(0.006);
	if (forgotten && random.chance(0.3)) return life;
	if (!step('scheduled', 1, 8) || (forgotten && random.chance(0.5))) return life;
	if (!step('in_mediation', 1, 10) || forgotten) return life;
	const outcome = random.next();
	if (outcome < 0.04) {
		// Escalated to the town committee, which takes it on with a deadline of its own.
		if (!step('escalated', 0.1, 20)) return life;
		life.escalated = true;
		life.deadline = null;
		if (!accept() || !step('scheduled', 1, 5) || !step('in_mediation', 1, 5)) return life;
	}
	const ending: CaseOutcome = outcome < 0.84 ? 'resolved' : outcome < 0.94 ? 'failed' : 'withdrawn';
	if (step(ending, 0.1, 20)) {
		life.failed = ending === 'failed';
		end(ending);
		close();
	}
	return life;
}
