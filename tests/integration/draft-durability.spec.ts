/**
 * What the server acknowledged survives the process being killed: the production entry
 * (`node server/index.ts`) on embedded PGlite (the default) and on a PostgreSQL database of its
 * own, four people typing a storm of small updates, `kill -9` in the middle of it, a restart, and
 * every acknowledged update is in the draft the restarted process serves before anyone who typed
 * comes back to send it again.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DraftStore } from '#server/agreements/draft-store.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { connected } from '../support/socket-client.ts';
import {
	connectTo,
	covers,
	DraftClient,
	fingerprint,
	roundTrip,
	setUpDraftCase,
	type DraftCase
} from '../support/draft-client.ts';
import {
	health,
	kill,
	serverStorage,
	startServer,
	withApp,
	type Driver,
	type ServerProcess,
	type ServerStorage
} from '../support/server-process.ts';

const DRIVERS: Driver[] = ['pglite', 'postgres'];

describe.each(DRIVERS)('a draft across a crash of the server on %s', (driver) => {
	let storage: ServerStorage;
	let world: DraftCase;
	const processes: ServerProcess[] = [];
	const clients: DraftClient[] = [];

	beforeAll(async () => {
		storage = await serverStorage(driver, 'durability');
		// Seeded through the services, then closed: the server process takes over the database.
		world = await withApp(storage, setUpDraftCase);
	}, 120_000);

	afterAll(async () => {
		for (const client of clients) client.destroy();
		for (const process of processes) await kill(process);
		await storage?.remove();
	});

	test('every update acknowledged before kill -9 is in the draft after the restart', async () => {
		const first = await startServer(storage);
		processes.push(first);
		// Where everyone connects: the first process, then the restarted one.
		let server = first;

		const join = async (cookie: string) => {
			const socket = connectTo(server.base, cookie);
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
		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId: mediator.draftId, allowed: true });
		const typists = [mediator, ...(await Promise.all(cookies.slice(1).map(join)))];
		const markers = typists.map((_, i) => `【第${i + 1}人】`);
		await Promise.all(typists.map((c, i) => c.append(markers[i])));
		const before = typists.map((c) => c.acked.length);
		// A quiet moment: what was acknowledged before it must not depend on a later write to reach the disk.
		await new Promise((resolve) => setTimeout(resolve, 1000));

		// The storm: each person types a character every 8 ms without waiting for answers, into
		// their own paragraph and now and then into the next person's; the process is killed once
		// a good part of it is acknowledged. Each sends fewer than the socket's burst allowance (200):
		// a server busy on a loaded machine may read a whole storm at once.
		let killed = false;
		const storms = typists.map(async (c, i) => {
			for (let n = 0; !killed && n < 180; n++) {
				const marker = n % 7 === 6 ? markers[(i + 1) % markers.length] : markers[i];
				void c.type(marker, String.fromCharCode(0x4e00 + i * 200 + n)).catch(() => {});
				await new Promise((resolve) => setTimeout(resolve, 8));
			}
		});
		const acked = () => typists.reduce((sum, c, i) => sum + c.acked.length - before[i], 0);
		const deadline = Date.now() + 60_000;
		while (acked() < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
		await kill(first);
		killed = true;
		await Promise.all(storms);
		await Promise.all(typists.map((c) => c.settled()));

		expect(acked()).toBeGreaterThanOrEqual(200);
		// Killed mid-storm: updates were in flight, and their answers never came.
		expect(typists.reduce((sum, c) => sum + c.lost.length, 0)).toBeGreaterThan(0);
		// Every update was either taken or lost with the connection: none refused.
		expect(typists.flatMap((c) => c.refused.map((refusal) => refusal.code))).toEqual([]);

		// On a port of its own: nothing of the first process's connections is reused.
		const second = await startServer(storage);
		server = second;
		processes.push(second);
		const fresh = await join(world.cookies.mediator);
		for (const [i, c] of typists.entries()) {
			const missing = c.acked.filter((update) => !covers(fresh.doc, update));
			expect(missing, `acknowledged updates of person ${i + 1} missing`).toEqual([]);
		}
		// The restarted process is healthy, and the typists reconnect with what never got an
		// answer: after their handshakes, everyone has everything anyone typed.
		expect(JSON.parse((await health(server.base)).body)).toMatchObject({
			status: 'ok',
			database: { ok: true, driver }
		});
		for (const [i, c] of typists.entries()) {
			const socket = connectTo(server.base, cookies[i]);
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

		// Killed again, the database holds exactly what everyone has.
		await kill(second);
		const stored = await withApp(storage, async (app) => {
			const draft = await new DraftStore(app.database, app.log).live(fresh.draftId);
			const print = fingerprint(draft.doc);
			draft.doc.destroy();
			return print;
		});
		expect(stored).toEqual(expected);
	}, 180_000);
});
