/**
 * Drafting an agreement together: how soon a keystroke shows on everyone else's screen, what it
 * costs on the wire and in the server, through the project's production server (every update
 * stored in PostgreSQL before it is acknowledged and passed on) against a stock y-websocket server
 * (in memory, nothing stored) and that server storing each message before passing it on, all
 * typed at by the same simulated people in the same run; and at the end every copy of the
 * document, and the project's draft reloaded from the database, the same.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import * as Y from 'yjs';
import { DraftStore } from '#server/agreements/draft-store.ts';
import { AGREEMENT_FIELD } from '#shared/agreement.ts';
import { closeApp, createApp } from '#server/app.ts';
import { createSession, SESSION_COOKIE } from '#server/auth/sessions.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { loadConfig } from '#server/config.ts';
import { openDatabase } from '#server/db/client.ts';
import { committeeMembers, users } from '#server/db/schema.ts';
import { createLogger } from '#server/log.ts';
import { intakeForm, setUpNetwork } from '../support/case-network.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { freshDatabase } from '../support/fresh-database.ts';
import {
	fingerprint,
	ProjectTypist,
	ReferenceTypist,
	type Bytes,
	type Fingerprint,
	type Typist
} from './drafting-clients.ts';

export const draftingSectionTitle = 'Drafting: keystroke to screen, the project against y-websocket';

const CLIENT_COUNTS = [2, 4, 8, 32];
/** Everyone types in slices of this long, the servers taking turns: SLICES on each for each number of people. */
const SLICE_MS = 5000;
const SLICES = 4;
/** Each person types a character every 100–200 ms (uniformly jittered): 5–10 a second, 6.7 on average. */
const INTERVAL_MS = { min: 100, max: 200 } as const;
/** Everything typed must be everywhere (and, for the project, acknowledged) within this after typing stops. */
const SETTLE_TIMEOUT_MS = 60_000;
/** An uncounted round on each server first. */
const WARM_UP = { clients: 4, typingMs: 5000 } as const;
/** How long the idle servers' CPU is read before anything happens. */
const IDLE_MS = 3000;
/** Updates stored one after another by `DraftStore.apply` alone. */
const STORE_ALONE_UPDATES = 300;
const TARGET = { ratio: 2, p99Ms: 50, p99AtClients: 8 } as const;
/** The paragraph everyone types into, added at the end of the draft before the round starts; nobody types into its marker. */
const MARKER = '【共同起草】';
const PARAGRAPH = `${MARKER}经双方当事人平等协商，自愿达成如下协议：`;
const root = new URL('../../', import.meta.url).pathname;
const NO_PASSWORD = 'bench-account-without-password';

type Kind = 'project' | 'y-websocket' | 'y-websocket, stored first' | 'Socket.io relay, stored first';
type Round = {
	kind: Kind;
	clients: number;
	ops: number;
	/** Messages the clients sent carrying their typing (the project's client merges what waits behind an unacknowledged one). */
	messages: number;
	/** Keystroke to another client's document, for every (op, other client) pair, in ms. */
	visible: number[];
	/** Keystroke to the server's acknowledgement that it is stored (the project only), in ms. */
	stored: number[];
	bytes: Bytes;
	serverCpuNs: number;
	/** The server's user and kernel time, in clock ticks (coarser than serverCpuNs, for the share spent in the kernel). */
	serverTicks: Ticks;
	/** The PostgreSQL backends serving the project's database (the project only). */
	databaseCpuNs: number | null;
	/** From the first keystroke until everything was everywhere. */
	wallMs: number;
	/** Meanwhile, how long some task of the machine waited for a CPU (null where unknown). */
	stallMs: number | null;
	identical: boolean;
};

export async function benchDrafting(): Promise<string> {
	// y-websocket's provider adds a process 'exit' listener per document.
	process.setMaxListeners(Math.max(process.getMaxListeners(), 4 * Math.max(...CLIENT_COUNTS)));
	if (!existsSync(join(root, 'build/handler.js'))) {
		execFileSync(process.execPath, ['server/cli/ensure-build.ts'], { cwd: root, stdio: 'inherit' });
	}
	const database = await freshDatabase('tiaojie_bench_drafts');
	const dataDir = mkdtempSync(join(tmpdir(), 'tiaojie-bench-drafts-'));
	const servers: Child[] = [];
	const stats = postgres(database.url, { max: 1, onnotice: () => {} });
	try {
		console.log('  seeding the cases and accounts…');
		const world = await seed(database.url, dataDir, Math.max(...CLIENT_COUNTS), CLIENT_COUNTS.length + 1);
		const startServer = async (script: string, env: Record<string, string>, readyPath = '/') => {
			const started = await startChild(script, env, readyPath);
			servers.push(started);
			return started;
		};
		const project = await startServer(
			'server/index.ts',
			{
				NODE_ENV: 'production',
				LOG_LEVEL: 'warn',
				REDIS_URL: '',
				MEDIA_WORKERS: '1',
				DATABASE_URL: database.url,
				DATA_DIR: dataDir
			},
			'/healthz'
		);
		// The package's own server, as its `y-websocket-server` command starts it.
		const reference = await startServer('node_modules/@y/websocket-server/src/server.js', {});
		const storedFirst = await startServer('tests/bench/y-websocket-stored-first.ts', { DATABASE_URL: database.url });
		const relay = await startServer('tests/bench/socket-io-relay-stored-first.ts', { DATABASE_URL: database.url });
		const databaseBackends = async () =>
			(
				await stats<{ pid: number }[]>`
					select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`
			).map((row) => row.pid);

		const idleBefore = [cpuNs(project.child.pid!), cpuNs(reference.child.pid!)];
		await sleep(IDLE_MS);
		const idle = {
			project: (cpuNs(project.child.pid!) - idleBefore[0]) / 1e3 / IDLE_MS,
			reference: (cpuNs(reference.child.pid!) - idleBefore[1]) / 1e3 / IDLE_MS
		};

		// A round on each that is not counted, so that none is measured while its code is still cold.
		console.log('  warming up…');
		const [warmCase, ...caseIds] = world.caseIds;
		const cookies = (clients: number) => world.cookies.slice(0, clients);
		const warm = await projectRoom(project, database.url, cookies(WARM_UP.clients), warmCase, databaseBackends);
		const { template } = warm;
		const warmReferences = [
			await referenceRoom(reference, 'y-websocket', WARM_UP.clients, 'bench-warm-up', template),
			await referenceRoom(storedFirst, 'y-websocket, stored first', WARM_UP.clients, 'bench-warm-up', template),
			await referenceRoom(relay, 'Socket.io relay, stored first', WARM_UP.clients, 'bench-warm-up', template)
		];
		for (const room of [warm, ...warmReferences]) {
			await typeAndSettle(room, WARM_UP.typingMs, 0);
			room.close();
		}

		// What storing costs alone, in this process, on the warm-up draft nobody uses any more.
		const storing = await storeAlone(database.url, (warm.typists[0] as ProjectTypist).draftId);

		const rounds: Round[] = [];
		for (const [i, clients] of CLIENT_COUNTS.entries()) {
			const rooms: Room[] = [];
			try {
				rooms.push(await projectRoom(project, database.url, cookies(clients), caseIds[i], databaseBackends));
				rooms.push(await referenceRoom(reference, 'y-websocket', clients, `bench-${clients}`, template));
				rooms.push(
					await referenceRoom(storedFirst, 'y-websocket, stored first', clients, `bench-${clients}`, template)
				);
				rooms.push(await referenceRoom(relay, 'Socket.io relay, stored first', clients, `bench-${clients}`, template));
				// Slices taking turns, so that a busy moment of the machine falls on all alike.
				for (let slice = 0; slice < SLICES; slice++) {
					for (const room of slice % 2 === 0 ? rooms : [...rooms].reverse()) {
						await typeAndSettle(room, SLICE_MS, slice + 1);
					}
				}
				for (const room of rooms) {
					const round = await roundOf(room);
					rounds.push(round);
					console.log(`  ${summary(round)}`);
					if (!round.identical) throw new Error(`${room.kind} with ${clients} people: the copies differ at the end`);
				}
			} finally {
				for (const room of rooms) room.close();
			}
		}
		// Nothing went wrong inside the project's server (pino's error and fatal levels).
		const errors = project
			.output()
			.split('\n')
			.filter((line) => /"level":(50|60)/.test(line));
		if (errors.length) throw new Error(`the project's server logged errors:\n${errors.slice(0, 5).join('\n')}`);
		return section(rounds, await describeServer(stats), idle, storing);
	} finally {
		await stats.end();
		for (const server of servers) await stop(server);
		await database.drop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// The servers.

type Child = { child: ChildProcess; url: string; output: () => string };

async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as { port: number };
	server.close();
	await once(server, 'close');
	return port;
}

/** A Node child process serving on a free port of 127.0.0.1 (HOST and PORT), once `readyPath` answers 200. */
async function startChild(script: string, env: Record<string, string>, readyPath: string): Promise<Child> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [script], {
		cwd: root,
		env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
		stdio: 'pipe'
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
		const status = await fetch(url + readyPath).then(
			(response) => response.status,
			() => 0
		);
		if (status === 200) return { child, url, output: () => output };
		if (Date.now() > deadline) throw new Error(`${script} did not start:\n${output}`);
		await sleep(100);
	}
}

async function stop({ child }: Child): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = once(child, 'exit');
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

/** CPU time a process has used, in ns, from the scheduler's account of each of its threads. */
function cpuNs(pid: number): number {
	let total = 0;
	let tasks: string[];
	try {
		tasks = readdirSync(`/proc/${pid}/task`);
	} catch {
		return 0;
	}
	for (const task of tasks) {
		try {
			total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
		} catch {
			// The thread ended meanwhile.
		}
	}
	return total;
}

/**
 * How long, in µs since boot, some runnable task of the machine has waited for a CPU (Linux's
 * pressure stall information), or null where the kernel does not tell.
 */
function cpuStallUs(): number | null {
	try {
		const some = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0];
		return Number(/total=(\d+)/.exec(some)![1]);
	} catch {
		return null;
	}
}

/** User and kernel CPU time of a process, in clock ticks, from /proc/<pid>/stat. */
function cpuTicks(pid: number): Ticks {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	// utime and stime are fields 14 and 15; the split leaves out the first two.
	return { user: Number(fields[11]), system: Number(fields[12]) };
}
type Ticks = { user: number; system: number };

/** The CPU each of these processes has used. */
const cpuOf = (pids: number[]) => new Map(pids.map((pid) => [pid, cpuNs(pid)]));

// ---------------------------------------------------------------------------------------------
// The world: a case per round in 东村, and as many of its committee's mediators as the largest round has people.

async function seed(url: string, dataDir: string, people: number, rounds: number) {
	const app = await createApp(
		loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, DATA_DIR: dataDir })
	);
	try {
		const network = await setUpNetwork(app);
		const cookies: string[] = [];
		for (let i = 0; i < people; i++) {
			const [user] = await app.db
				.insert(users)
				.values({
					username: `bench-typist-${i + 1}`,
					displayName: `起草人${i + 1}`,
					role: 'mediator',
					orgNodeId: network.nodes.east.id,
					passwordHash: NO_PASSWORD
				})
				.returning({ id: users.id });
			await app.db.insert(committeeMembers).values({ committeeId: network.committees.east.id, userId: user.id });
			const { token } = await createSession(
				app.db,
				user.id,
				{ ip: '127.0.0.1', userAgent: 'drafting-bench' },
				app.config.sessionDays
			);
			cookies.push(`${SESSION_COOKIE}=${token}`);
		}
		const caseIds: string[] = [];
		for (let i = 0; i < rounds; i++) {
			const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
			await transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null);
			caseIds.push(caseId);
		}
		return { cookies, caseIds };
	} finally {
		await closeApp(app);
	}
}

// ---------------------------------------------------------------------------------------------
// A round.

/** When each op was typed, and when each other document first had it. */
class Ledger {
	/** Yjs client → clock → when typed. */
	readonly #typed = new Map<number, Map<number, number>>();
	readonly visible: number[] = [];
	readonly stored: number[] = [];
	ops = 0;

	typed(client: number, clock: number, at: number): void {
		let clocks = this.#typed.get(client);
		if (!clocks) this.#typed.set(client, (clocks = new Map()));
		clocks.set(clock, at);
		this.ops++;
	}

	/** Everything a remote transaction brought into `doc` is visible there from now on. */
	watch(doc: Y.Doc): void {
		doc.on('afterTransaction', (transaction: Y.Transaction) => {
			if (transaction.local) return;
			const now = performance.now();
			for (const [client, after] of transaction.afterState) {
				const clocks = this.#typed.get(client);
				if (!clocks) continue;
				for (let clock = transaction.beforeState.get(client) ?? 0; clock < after; clock++) {
					const at = clocks.get(clock);
					if (at !== undefined) this.visible.push(now - at);
				}
			}
		});
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = performance.now() + timeoutMs;
	while (!check()) {
		if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
		await sleep(10);
	}
}

const sum = (values: Bytes[]): Bytes =>
	values.reduce((a, b) => ({ sent: a.sent + b.sent, received: a.received + b.received }), { sent: 0, received: 0 });

/** Adds the paragraph everyone will type into to the first person's document. */
function addParagraph(typist: Typist): void {
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(0, [new Y.XmlText(PARAGRAPH)]);
	typist.fragment.push([paragraph]);
}

/** N people in one document on one server, and what their typing has cost so far. */
type Room = {
	kind: Kind;
	typists: Typist[];
	ledger: Ledger;
	serverPid: number;
	/** The PostgreSQL backends serving the server (the project's). */
	databaseBackends?: () => Promise<number[]>;
	totals: Pick<Round, 'messages' | 'bytes' | 'serverCpuNs' | 'serverTicks' | 'databaseCpuNs' | 'wallMs' | 'stallMs'>;
	/** Whether every copy, and what the server would give a newcomer, are the same document. */
	identical(): Promise<boolean>;
	close(): void;
};

function newRoom(
	kind: Kind,
	typists: Typist[],
	serverPid: number,
	rest: Pick<Room, 'identical' | 'close'> & Partial<Room>
): Room {
	const ledger = new Ledger();
	for (const typist of typists) ledger.watch(typist.doc);
	return {
		kind,
		typists,
		ledger,
		serverPid,
		totals: {
			messages: 0,
			bytes: { sent: 0, received: 0 },
			serverCpuNs: 0,
			serverTicks: { user: 0, system: 0 },
			databaseCpuNs: null,
			wallMs: 0,
			stallMs: 0
		},
		...rest
	};
}

/**
 * Everyone types for `typingMs`, then waits until everything is everywhere (and, on the project,
 * acknowledged): the room's bytes, messages and server CPU grow by those of the whole time, from
 * the first keystroke until then. `seed` picks the typing; the same seed types the same on every server.
 */
async function typeAndSettle(room: Room, typingMs: number, seed: number): Promise<void> {
	const { typists, ledger, totals } = room;
	const texts = typists.map((typist) => typist.paragraph(MARKER)!);
	const messagesBefore = typists.reduce((n, t) => n + t.messages, 0);
	const bytesBefore = sum(typists.map((typist) => typist.bytes()));
	const databaseBefore = room.databaseBackends ? cpuOf(await room.databaseBackends()) : null;
	const serverBefore = cpuNs(room.serverPid);
	const ticksBefore = cpuTicks(room.serverPid);
	const stallBefore = cpuStallUs();
	const started = performance.now();
	const end = started + typingMs;
	await Promise.all(
		typists.map(async (typist, i) => {
			// Seeded, so that every server gets the same typing.
			const next = seededRandom(seed * 1000 + i);
			// Each starts somewhere else in the paragraph, as people edit different clauses.
			const start = MARKER.length + Math.round(((PARAGRAPH.length - MARKER.length) * i) / typists.length);
			await sleep(next() * INTERVAL_MS.max);
			while (performance.now() < end) {
				const character = String.fromCharCode(0x4e00 + Math.floor(next() * 0x5000));
				const at = performance.now();
				ledger.typed(typist.doc.clientID, typist.type(texts[i], character, start), at);
				await sleep(INTERVAL_MS.min + next() * (INTERVAL_MS.max - INTERVAL_MS.min));
			}
		})
	);
	const expected = ledger.ops * (typists.length - 1);
	await until(() => ledger.visible.length >= expected, SETTLE_TIMEOUT_MS, 'every op is everywhere');
	await Promise.all(typists.map((typist) => typist.settled()));
	totals.wallMs += performance.now() - started;
	const stallAfter = cpuStallUs();
	totals.stallMs =
		stallBefore === null || stallAfter === null || totals.stallMs === null
			? null
			: totals.stallMs + (stallAfter - stallBefore) / 1000;
	totals.serverCpuNs += cpuNs(room.serverPid) - serverBefore;
	const ticksAfter = cpuTicks(room.serverPid);
	totals.serverTicks.user += ticksAfter.user - ticksBefore.user;
	totals.serverTicks.system += ticksAfter.system - ticksBefore.system;
	if (databaseBefore && room.databaseBackends) {
		for (const [pid, after] of cpuOf(await room.databaseBackends())) {
			totals.databaseCpuNs = (totals.databaseCpuNs ?? 0) + after - (databaseBefore.get(pid) ?? 0);
		}
	}
	const bytesAfter = sum(typists.map((typist) => typist.bytes()));
	totals.bytes.sent += bytesAfter.sent - bytesBefore.sent;
	totals.bytes.received += bytesAfter.received - bytesBefore.received;
	totals.messages += typists.reduce((n, t) => n + t.messages, 0) - messagesBefore;
}

async function roundOf(room: Room): Promise<Round> {
	return {
		kind: room.kind,
		clients: room.typists.length,
		ops: room.ledger.ops,
		visible: room.ledger.visible,
		stored: room.ledger.stored,
		...room.totals,
		identical: await room.identical()
	};
}

const sameEverywhere = (typists: Typist[], expected: Fingerprint) =>
	typists.every((typist) => JSON.stringify(fingerprint(typist.doc)) === JSON.stringify(expected));

/** People on the project's server, each with an account's cookie, in the draft of `caseId`, which the first starts. */
async function projectRoom(
	server: Child,
	databaseUrl: string,
	cookies: string[],
	caseId: string,
	databaseBackends: () => Promise<number[]>
): Promise<Room & { template: Uint8Array }> {
	const typists: ProjectTypist[] = [];
	const join = async (cookie: string) => {
		const typist = new ProjectTypist(server.url, cookie);
		typists.push(typist);
		await typist.connected();
		await typist.open(caseId);
		return typist;
	};
	const close = () => typists.forEach((typist) => typist.close());
	try {
		// The first mediator starts the draft from the template and adds the paragraph.
		const first = await join(cookies[0]);
		const template = Y.encodeStateAsUpdate(first.doc);
		addParagraph(first);
		await first.settled();
		const others = await Promise.all(cookies.slice(1).map(join));
		await until(() => others.every((t) => t.paragraph(PARAGRAPH)), 10_000, 'everyone has the paragraph');
		const room = newRoom('project', typists, server.child.pid!, {
			databaseBackends,
			close,
			// Every copy, and the draft as a process starting now would load it from PostgreSQL.
			async identical() {
				const expected = fingerprint(first.doc);
				const database = await openDatabase({ url: databaseUrl, dataDir: null });
				const store = new DraftStore(database, createLogger({ logLevel: 'silent' }));
				try {
					const reloaded = fingerprint((await store.live(first.draftId)).doc);
					return sameEverywhere(typists, expected) && JSON.stringify(reloaded) === JSON.stringify(expected);
				} finally {
					// Also stops the awareness timer of the loaded draft.
					await store.close();
					await database.close();
				}
			}
		});
		for (const typist of typists) typist.onAcked = (typed, at) => room.ledger.stored.push(...typed.map((t) => at - t));
		return { ...room, template };
	} catch (error) {
		close();
		throw error;
	}
}

/**
 * People on one of the reference servers, in `name`, which the first fills with `template` and
 * the paragraph: y-websocket's provider, or on the Socket.io relay the project's own typists.
 */
async function referenceRoom(
	server: Child,
	kind: Kind,
	clients: number,
	name: string,
	template: Uint8Array
): Promise<Room> {
	const typists: Typist[] = [];
	const join = async () => {
		if (kind === 'Socket.io relay, stored first') {
			const typist = new ProjectTypist(server.url, '');
			typists.push(typist);
			await typist.connected();
			await typist.open(name);
			return typist;
		}
		const typist = new ReferenceTypist(server.url.replace('http', 'ws'), name);
		typists.push(typist);
		await typist.synced();
		return typist;
	};
	const close = () => typists.forEach((typist) => typist.close());
	try {
		const first = await join();
		Y.applyUpdate(first.doc, template);
		addParagraph(first);
		await first.settled();
		const others = await Promise.all(Array.from({ length: clients - 1 }, join));
		await until(() => others.every((t) => t.paragraph(PARAGRAPH)), 10_000, 'everyone has the paragraph');
		return newRoom(kind, [...typists], server.child.pid!, {
			close,
			// Every copy, and a newcomer's copy after the handshake (the server keeps nothing else).
			async identical() {
				const expected = fingerprint(first.doc);
				const newcomer = await join();
				const state = Y.encodeStateVector(first.doc).join();
				await until(() => Y.encodeStateVector(newcomer.doc).join() === state, 10_000, 'the newcomer has everything');
				return sameEverywhere(typists, expected);
			}
		});
	} catch (error) {
		close();
		throw error;
	}
}

/**
 * The floor under the project's latency: `DraftStore.apply` (the check, the transaction, the
 * commit, the update applied in memory) called directly, one one-character update after another,
 * by an author of its own, and a bare round trip (\`select 1\`) for comparison.
 */
async function storeAlone(databaseUrl: string, draftId: string) {
	const database = await openDatabase({ url: databaseUrl, dataDir: null });
	const doc = new Y.Doc();
	const store = new DraftStore(database, createLogger({ logLevel: 'silent' }));
	try {
		Y.applyUpdate(doc, Y.encodeStateAsUpdate((await store.live(draftId)).doc));
		const text = doc
			.getXmlFragment(AGREEMENT_FIELD)
			.toArray()
			.map((node) => (node instanceof Y.XmlElement ? node.get(0) : null))
			.find((node): node is Y.XmlText => node instanceof Y.XmlText && node.toString().startsWith(MARKER));
		if (!text) throw new Error('the warm-up draft has no paragraph to type into');
		const author = { key: 'bench:store-alone', name: '基准' };
		const apply: number[] = [];
		const roundTrip: number[] = [];
		for (let i = 0; i < STORE_ALONE_UPDATES; i++) {
			const updates: Uint8Array[] = [];
			doc.once('update', (update: Uint8Array) => updates.push(update));
			text.insert(text.length, '字');
			const started = performance.now();
			await (
				await store.apply(draftId, updates[0], author)
			).stored;
			apply.push(performance.now() - started);
			const pinged = performance.now();
			await database.ping();
			roundTrip.push(performance.now() - pinged);
		}
		return { apply, roundTrip };
	} finally {
		doc.destroy();
		await store.close();
		await database.close();
	}
}

// ---------------------------------------------------------------------------------------------
// The report.

function percentile(values: number[], p: number): number {
	const sorted = Float64Array.from(values).sort();
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));
const perOp = (value: number, round: Round) => Math.round(value / round.ops).toLocaleString('en');
const microseconds = (ns: number, round: Round) => Math.round(ns / 1000 / round.ops).toLocaleString('en');

function summary(round: Round): string {
	const stored = round.stored.length
		? `, stored p50 ${ms(percentile(round.stored, 50))} p99 ${ms(percentile(round.stored, 99))}`
		: '';
	const database = round.databaseCpuNs === null ? '' : ` + PostgreSQL ${microseconds(round.databaseCpuNs, round)}`;
	return (
		`${round.kind} × ${round.clients}: ${round.ops} ops in ${round.messages} messages, visible p50 ${ms(percentile(round.visible, 50))} ` +
		`p99 ${ms(percentile(round.visible, 99))} ms${stored}; ${perOp(round.bytes.sent + round.bytes.received, round)} B/op; ` +
		`server ${microseconds(round.serverCpuNs, round)}${database} µs/op; identical ${round.identical ? 'yes' : 'no'}`
	);
}

/** The share of the time some task of the machine waited for a CPU. */
const stall = ({ stallMs, wallMs }: Round) => (stallMs === null ? '–' : `${Math.round((100 * stallMs) / wallMs)} %`);

const kernelShare = ({ serverTicks: { user, system } }: Round) =>
	user + system ? `${Math.round((100 * system) / (user + system))} %` : '–';

const table = (head: string[], rows: (string | number)[][]) =>
	[head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

async function describeServer(stats: postgres.Sql): Promise<string> {
	const [{ version }] = await stats<{ version: string }[]>`select version()`;
	const settings = await stats<{ name: string; setting: string }[]>`
		select name, setting from pg_settings where name in ('synchronous_commit', 'fsync', 'wal_sync_method') order by name`;
	return `${version.split(' on ')[0]} (${settings.map((s) => `${s.name} ${s.setting}`).join(', ')})`;
}

function section(
	rounds: Round[],
	postgresServer: string,
	idle: { project: number; reference: number },
	storing: { apply: number[]; roundTrip: number[] }
): string {
	const pairs = CLIENT_COUNTS.map((clients) => ({
		clients,
		project: rounds.find((r) => r.kind === 'project' && r.clients === clients)!,
		reference: rounds.find((r) => r.kind === 'y-websocket' && r.clients === clients)!,
		storedFirst: rounds.find((r) => r.kind === 'y-websocket, stored first' && r.clients === clients)!,
		relay: rounds.find((r) => r.kind === 'Socket.io relay, stored first' && r.clients === clients)!
	}));
	const p99Ratio = (round: Round, reference: Round) =>
		percentile(round.visible, 99) / percentile(reference.visible, 99);
	const verdicts = pairs.map(({ clients, project, reference, storedFirst, relay }) => {
		const p99 = percentile(project.visible, 99);
		const ratio = p99Ratio(project, reference);
		const underCap = clients !== TARGET.p99AtClients || p99 < TARGET.p99Ms;
		const floors = { storedFirst: p99Ratio(storedFirst, reference), relay: p99Ratio(relay, reference) };
		return { clients, p99, ratio, floors, met: ratio <= TARGET.ratio && underCap };
	});
	const latencyRows = pairs.map(({ clients, project, reference, storedFirst, relay }, i) => {
		const { ratio, floors, met } = verdicts[i];
		return [
			clients,
			project.ops,
			ms(percentile(project.visible, 50)),
			ms(percentile(project.visible, 99)),
			ms(percentile(project.visible, 100)),
			ms(percentile(reference.visible, 50)),
			ms(percentile(reference.visible, 99)),
			ms(percentile(reference.visible, 100)),
			`${ratio.toFixed(1)}×`,
			met ? '✓' : '✗',
			`${ms(percentile(storedFirst.visible, 50))} / ${ms(percentile(storedFirst.visible, 99))}`,
			`${floors.storedFirst.toFixed(1)}×`,
			`${ms(percentile(relay.visible, 50))} / ${ms(percentile(relay.visible, 99))}`,
			`${floors.relay.toFixed(1)}×`,
			`${stall(project)} / ${stall(reference)}`,
			`${ms(percentile(project.stored, 50))} / ${ms(percentile(project.stored, 99))}`
		];
	});
	const costRows = pairs.map(({ clients, project, reference }) => [
		clients,
		`${project.ops} / ${reference.ops}`,
		(project.messages / project.ops).toFixed(2),
		Math.round(project.messages / (project.wallMs / 1000)),
		perOp(project.bytes.sent, project),
		perOp(project.bytes.sent + project.bytes.received, project),
		perOp(reference.bytes.sent, reference),
		perOp(reference.bytes.sent + reference.bytes.received, reference),
		`${microseconds(project.serverCpuNs, project)} (${kernelShare(project)})`,
		microseconds(project.databaseCpuNs ?? 0, project),
		`${microseconds(reference.serverCpuNs, reference)} (${kernelShare(reference)})`,
		project.identical && reference.identical ? 'yes' : 'no'
	]);
	const at8 = verdicts.find((v) => v.clients === TARGET.p99AtClients)!;
	const missed = verdicts.filter((v) => v.ratio > TARGET.ratio);
	return [
		`Reproduce: \`npm run bench -- --only drafting\` (about ${Math.ceil(((SLICES * SLICE_MS * 4 + 30_000) * CLIENT_COUNTS.length) / 60_000)} minutes). PostgreSQL: ${postgresServer}, on the same machine, as are the four servers and all the clients (one benchmark process). Nothing else on the machine is stopped meanwhile: the load average was ${loadavg()[0].toFixed(1)} when the benchmark ended, and with 2 cores a busy moment shows in the p99s of every server.`,
		`**Servers.** _Project_: the production entry \`node server/index.ts\` (as \`npm start\`, no Redis) on a fresh PostgreSQL database \`tiaojie_bench_drafts_*\`, seeded through the services with one accepted case of 东村 per round and ${Math.max(...CLIENT_COUNTS)} mediators of its committee (accounts that may edit), each with a session cookie. Every update is checked and applied in memory, then stored before it is acknowledged and passed to the others (group commit: the updates that arrive while a draft's write is under way go into its next one, a single statement with the draft's row lock and a multi-row insert, committed without waiting for the disk, \`synchronous_commit\` off for it alone); compaction runs as in production, every 200 updates. _Reference_: the stock \`y-websocket-server\` of \`@y/websocket-server\` 0.1.1 (\`setupWSConnection\` on \`http\` + \`ws\`, in memory, nothing stored; 0.1.5 runs a prerelease of Yjs 14, 0.1.1 the project's Yjs 13.6.33), clients on the \`y-websocket\` 3.1.0 provider (\`ws\` as its WebSocket, BroadcastChannel off, no awareness state). _y-websocket, stored first_ (\`tests/bench/y-websocket-stored-first.ts\`): the same server and clients, except that each message a client sends is first inserted into a table of the benchmark's database (one prepared statement, \`synchronous_commit\` off, a connection's messages one after another) and only then handed to y-websocket: nothing checked, nothing acknowledged. It is the floor of any server that stores an update before passing it on, on this machine. _Socket.io relay, stored first_ (\`tests/bench/socket-io-relay-stored-first.ts\`): the project's draft protocol over Socket.io with the project's own typists (\`draft:open\`, y-protocols messages in base64 in acknowledged \`draft:sync\` commands), each update inserted likewise before it is passed on and acknowledged, and nothing else (no accounts, checks, authorship or versions): the floor of the project's fixed choices, Socket.io and storing first. What the project adds above it is its own. Each server is a child process of its own.`,
		`**Typing.** For each number of people, that many join a room on each server: the project's clients \`draft:open\` a case of their own for the size and run the y-protocols handshake; the first adds a paragraph at the end of the agreement fragment (the y-websocket room starts from the same template document the project filled in) and, once all have it, everyone types one Chinese character at a time into that paragraph's XmlText, each at a caret of their own (a relative position after their last character, starting at different places), every ${INTERVAL_MS.min}–${INTERVAL_MS.max} ms at random (${((2 * 1000) / (INTERVAL_MS.min + INTERVAL_MS.max)).toFixed(1)} characters a second on average). They type in ${SLICES} slices of ${SLICE_MS / 1000} s on each server, the servers taking turns and each slice typed alike on all four (the same seeded sequences); a slice ends once everything typed is everywhere. Before all this each server gets an uncounted round of ${WARM_UP.clients} people typing for ${WARM_UP.typingMs / 1000} s, so that neither is measured cold. The project's client sends as the browser's DraftProvider does: one \`draft:sync\` update message in flight, what is typed meanwhile merged into the next (_msgs/op_ below 1 means merging happened); y-websocket's provider sends each update at once.`,
		`**Measures.** _Visible_: from the keystroke to the moment another client's document has that character (each remote transaction's before and after state vectors name the (client, clock) pairs it brought), for every (keystroke, other client) pair, in ms. _Stored_: keystroke to the project server's acknowledgement, which it sends only once the update is committed. _B/op_: the TCP payload of all the clients' connections (WebSocket frames with their headers; the project's Yjs messages travel as base64 text, one frame each, where Socket.io sends a binary message as two), read from the sockets' byte counters from the first keystroke until everything was everywhere, divided by the keystrokes; _up_ is what the typists sent, _total_ adds what they received. _CPU_: the server process's CPU time over the same span (the sum of its threads' \`/proc/<pid>/task/*/schedstat\`), per keystroke; for the project also the PostgreSQL backends connected to its database (WAL writer and checkpointer not counted). _CPU stall_: the share of the slices' time in which some task of the machine was waiting for a CPU (\`/proc/pressure/cpu\`, "some"): how crowded the 2 cores were, the benchmark's own processes included. Idle, before the first round, the project's server used ${idle.project.toFixed(1)} ms of CPU a second and y-websocket's ${idle.reference.toFixed(1)}: not subtracted. _Identical_: at the end every client's document, and for the project the draft loaded from PostgreSQL by a new \`DraftStore\` (for the reference, a newcomer's copy after the handshake), have the same full update, state vector, delete set, XML and canonical text; the benchmark fails otherwise.`,
		`**Storing alone.** \`DraftStore.apply\` called directly in the benchmark process (the check and the update applied in memory, then its write: one statement, its own transaction), ${STORE_ALONE_UPDATES} one-character updates one after another on the warm-up draft, each awaited until stored: p50 ${ms(percentile(storing.apply, 50))} ms, p99 ${ms(percentile(storing.apply, 99))} ms, max ${ms(percentile(storing.apply, 100))} ms; a bare round trip to PostgreSQL (\`select 1\`) p50 ${ms(percentile(storing.roundTrip, 50))} ms, p99 ${ms(percentile(storing.roundTrip, 99))} ms. This bounds the project's _stored_ latency, not its _visible_ one (_msgs/s_ is how many updates it stored a second).`,
		`**Targets**: p99 of _visible_ at most ${TARGET.ratio}× y-websocket's at each size, and under ${TARGET.p99Ms} ms at ${TARGET.p99AtClients} people. At ${TARGET.p99AtClients} people the project's p99 is ${ms(at8.p99)} ms (${at8.p99 < TARGET.p99Ms ? 'met' : 'missed'}); the ${TARGET.ratio}× ratio is ${missed.length ? `missed at ${missed.map((v) => `${v.clients} (${v.ratio.toFixed(1)}×)`).join(', ')}` : 'met at every size'}. Storing first alone puts y-websocket's p99 at ${verdicts.map((v) => `${v.floors.storedFirst.toFixed(1)}×`).join(', ')} its own; Socket.io and storing first, with nothing else of the project, at ${verdicts.map((v) => `${v.floors.relay.toFixed(1)}×`).join(', ')} (p50 ${pairs.map(({ relay, reference }) => `${(percentile(relay.visible, 50) / percentile(reference.visible, 50)).toFixed(1)}×`).join(', ')}).`,
		table(
			[
				'People',
				'Keystrokes',
				'Project p50',
				'p99',
				'max',
				'y-websocket p50',
				'p99',
				'max',
				'p99 ratio',
				'Target',
				'y-ws stored first p50 / p99',
				'its p99 ratio',
				'Socket.io relay stored first p50 / p99',
				'its p99 ratio',
				'CPU stall (project / y-ws)',
				'Project stored p50 / p99'
			],
			latencyRows
		),
		table(
			[
				'People',
				'Keystrokes (project / y-ws)',
				'Project msgs/op',
				'msgs/s',
				'Project B/op up',
				'total',
				'y-websocket B/op up',
				'total',
				'Project server µs/op (kernel)',
				'+ PostgreSQL µs/op',
				'y-websocket server µs/op (kernel)',
				'Identical'
			],
			costRows
		)
	].join('\n\n');
}
