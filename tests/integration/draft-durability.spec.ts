/**
 * What the server acknowledged survives the process being killed: the production entry
 * (`node server/index.ts`) on a PostgreSQL database of its own, four people typing a storm of
 * small updates, `kill -9` in the middle of it, a restart, and every acknowledged update is in the
 * draft the restarted process serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DraftStore } from '#server/agreements/draft-store.ts';
import { closeApp, createApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { connected } from './socket-client.ts';
import {
	connectTo,
	covers,
	DraftClient,
	fingerprint,
	ok,
	roundTrip,
	setUpDraftCase,
	type DraftCase
} from './draft-client.ts';
import { freshDatabase } from './fresh-database.ts';

const root = new URL('../../', import.meta.url).pathname;

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as { port: number };
	server.close();
	await once(server, 'close');
	return port;
}

type Process = { child: ChildProcess; output: () => string };

/** `node server/index.ts`, as `npm start` runs it, once /healthz answers 200. */
async function startServer(env: Record<string, string>, base: string): Promise<Process> {
	const child = spawn(process.execPath, ['server/index.ts'], {
		cwd: root,
		env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', REDIS_URL: '', MEDIA_WORKERS: '1', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
		const status = await fetch(`${base}/healthz`).then(
			(response) => response.status,
			() => 0
		);
		if (status === 200) return { child, output: () => output };
		if (Date.now() > deadline) throw new Error(`the server did not become healthy:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function kill(process: Process): Promise<void> {
	if (process.child.exitCode !== null || process.child.signalCode !== null) return;
	const exited = once(process.child, 'exit');
	process.child.kill('SIGKILL');
	await exited;
}

describe('a draft across a crash of the server', () => {
	let database: Awaited<ReturnType<typeof freshDatabase>>;
	let world: DraftCase;
	let dataDir: string;
	const processes: Process[] = [];
	const clients: DraftClient[] = [];

	beforeAll(async () => {
		if (!existsSync(join(root, 'build/handler.js'))) {
			throw new Error('server/index.ts serves the built app: run `node server/cli/ensure-build.ts` first');
		}
		database = await freshDatabase('tiaojie_durability');
		dataDir = mkdtempSync(join(tmpdir(), 'tiaojie-durability-'));
		// Seeded through the services, then closed: the server process takes over the database.
		const app = await createApp(
			loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, DATA_DIR: dataDir })
		);
		try {
			world = await setUpDraftCase(app);
		} finally {
			await closeApp(app);
		}
	}, 60_000);

	afterAll(async () => {
		for (const client of clients) client.destroy();
		for (const process of processes) await kill(process);
		await database?.drop();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	test('every update acknowledged before kill -9 is in the draft after the restart', async () => {
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port) };
		const first = await startServer(env, base);
		processes.push(first);

		const join = async (cookie: string) => {
			const socket = connectTo(base, cookie);
			await connected(socket);
			const client = new DraftClient(socket);
			clients.push(client);
			expect((await client.open(world.caseId)).ok).toBe(true);
			expect((await client.sync()).ok).toBe(true);
			return client;
		};
		// Two mediators, the legal expert, and a party the mediator lets edit.
		const cookies = [world.cookies.mediator, world.cookies.mediator2, world.cookies.expert, world.applicant.cookie];
		const mediator = await join(cookies[0]);
		await ok(mediator.socket, 'draft:setPartiesMayEdit', { draftId: mediator.draftId, allowed: true });
		const typists = [mediator, ...(await Promise.all(cookies.slice(1).map(join)))];
		const markers = typists.map((_, i) => `【第${i + 1}人】`);
		await Promise.all(typists.map((c, i) => c.append(markers[i])));
		const before = typists.map((c) => c.acked.length);

		// The storm: each person types a character every 8 ms without waiting for answers, into
		// their own paragraph and now and then into the next person's; the process is killed once
		// a good part of it is acknowledged.
		let killed = false;
		const storms = typists.map(async (c, i) => {
			for (let n = 0; !killed && n < 250; n++) {
				const marker = n % 7 === 6 ? markers[(i + 1) % markers.length] : markers[i];
				void c.type(marker, String.fromCharCode(0x4e00 + i * 200 + n)).catch(() => {});
				await new Promise((resolve) => setTimeout(resolve, 8));
			}
		});
		const acked = () => typists.reduce((sum, c, i) => sum + c.acked.length - before[i], 0);
		const deadline = Date.now() + 20_000;
		while (acked() < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
		await kill(first);
		killed = true;
		await Promise.all(storms);
		await Promise.all(typists.map((c) => c.settled()));

		expect(acked()).toBeGreaterThanOrEqual(200);
		// Killed mid-storm: updates were in flight, and their answers never came.
		expect(typists.reduce((sum, c) => sum + c.lost.length, 0)).toBeGreaterThan(0);
		// Every update was either taken or lost with the connection: none refused.
		expect(typists.flatMap((c) => c.refused)).toEqual([]);

		const second = await startServer(env, base);
		processes.push(second);
		const fresh = await join(world.cookies.mediator);
		for (const [i, c] of typists.entries()) {
			const missing = c.acked.filter((update) => !covers(fresh.doc, update));
			expect(missing, `acknowledged updates of person ${i + 1} missing`).toEqual([]);
		}
		// The database holds exactly what the restarted server serves.
		const app = await createApp(
			loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, DATA_DIR: dataDir })
		);
		try {
			const draft = await new DraftStore(app.database, app.log).live(fresh.draftId);
			expect(fingerprint(draft.doc)).toEqual(fingerprint(fresh.doc));
			draft.doc.destroy();
		} finally {
			await closeApp(app);
		}

		// The restarted process is healthy, and the typists reconnect with what never got an
		// answer: after their handshakes, everyone has everything anyone typed.
		const health = await (await fetch(`${base}/healthz`)).json();
		expect(health).toMatchObject({ status: 'ok', database: { ok: true, driver: 'postgres' } });
		for (const [i, c] of typists.entries()) {
			const socket = connectTo(base, cookies[i]);
			await connected(socket);
			c.attach(socket);
			expect((await c.open(world.caseId)).ok).toBe(true);
			expect((await c.sync()).ok).toBe(true);
		}
		expect((await fresh.append('【重启之后】')).ok).toBe(true);
		await roundTrip(...typists.map((c) => c.socket));
		const expected = fingerprint(fresh.doc);
		for (const c of typists) expect(fingerprint(c.doc)).toEqual(expected);
		expect(expected.text).toContain('【重启之后】');
		// Nothing went wrong inside the restarted server (pino's error and fatal levels).
		expect(second.output()).not.toMatch(/"level":(50|60)/);
	}, 60_000);
});
