/**
 * A restart puts people back where they were: the production entry, on embedded PGlite and on
 * PostgreSQL, is killed with SIGKILL while a mediator holds a caucus with the applicant and the
 * respondent waits in the joint space; whoever comes back within the grace period returns to their
 * space without being admitted again, and the caucus is still a caucus.
 */
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { roomPlaces } from '#server/db/schema.ts';
import type { RoomSnapshot } from '#shared/realtime-events.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { connectTo, setUpDraftCase, type DraftCase } from '../support/draft-client.ts';
import {
	kill,
	serverStorage,
	startServer,
	withApp,
	type Driver,
	type ServerProcess,
	type ServerStorage
} from '../support/server-process.ts';
import { connected, type ClientSocket } from '../support/socket-client.ts';

const DRIVERS: Driver[] = ['pglite', 'postgres'];

describe.each(DRIVERS)('a room across a restart of the app on %s', (driver) => {
	let storage: ServerStorage;
	let world: DraftCase;
	let sessionId: string;
	let sockets: ClientSocket[] = [];
	let servers: ServerProcess[] = [];

	beforeAll(async () => {
		storage = await serverStorage(driver, 'room_restart');
		world = await withApp(storage, setUpDraftCase);
		sessionId = world.sessionId;
	}, 120_000);

	afterEach(async () => {
		for (const socket of sockets) socket.close();
		for (const server of servers) await kill(server);
		sockets = [];
		servers = [];
		// Each test starts with nobody remembered in the room.
		await withApp(storage, (app) => app.db.delete(roomPlaces));
	});

	afterAll(async () => {
		await storage?.remove();
	});

	async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
		const server = await startServer(storage, { env });
		servers.push(server);
		return server;
	}

	async function join(
		server: ServerProcess,
		cookie: string
	): Promise<{ socket: ClientSocket; snapshot: RoomSnapshot }> {
		const socket = connectTo(server.base, cookie);
		sockets.push(socket);
		await connected(socket);
		return { socket, snapshot: await ask(socket, 'room:join', { sessionId }) };
	}

	/** The mediator holds a caucus with the applicant; the respondent, admitted, waits in the joint space. */
	async function caucusUnderWay(server: ServerProcess): Promise<{ caucusId: string; applicant: ClientSocket }> {
		const mediator = await join(server, world.cookies.mediator);
		expect(mediator.snapshot.self.space).toBe('joint');
		const applicant = await join(server, world.applicant.cookie);
		const respondent = await join(server, world.respondent.cookie);
		expect([applicant.snapshot.self.space, respondent.snapshot.self.space]).toEqual(['lobby', 'lobby']);
		await ask(mediator.socket, 'room:admit', { peerId: world.applicant.participantId });
		await ask(mediator.socket, 'room:admit', { peerId: world.respondent.participantId });
		const { caucusId } = await ask(mediator.socket, 'room:openCaucus', {
			memberIds: [world.applicant.participantId]
		});
		return { caucusId, applicant: applicant.socket };
	}

	test('everyone returns to their space, and the caucus stays a caucus', async () => {
		const { caucusId } = await caucusUnderWay(await start());
		await kill(servers[0]);

		const restarted = await start();
		const applicant = await join(restarted, world.applicant.cookie);
		const respondent = await join(restarted, world.respondent.cookie);
		const mediator = await join(restarted, world.cookies.mediator);
		expect(applicant.snapshot.self.space).toBe(caucusId);
		expect(respondent.snapshot.self.space).toBe('joint');
		expect(mediator.snapshot.self.space).toBe(caucusId);
		// The respondent sees the applicant in the caucus, not beside them.
		expect(respondent.snapshot.peers.find((peer) => peer.id === world.applicant.participantId)?.space).toBe(caucusId);
		// And the caucus is the room's: the mediator can close it, and both return to the joint space.
		await ask(mediator.socket, 'room:closeCaucus', { caucusId });
		const { self } = await ask(applicant.socket, 'room:join', { sessionId });
		expect(self.space).toBe('joint');
	}, 120_000);

	test('a clean stop (SIGTERM) closes the connections without letting anyone go, and they return', async () => {
		const { caucusId, applicant } = await caucusUnderWay(await start());
		// A page told it was disconnected by the server takes it as being let go, and does not come back.
		const reason = new Promise<string>((resolve) => applicant.once('disconnect', resolve));
		const exited = once(servers[0].child, 'exit');
		servers[0].child.kill('SIGTERM');
		expect(await reason).toBe('transport close');
		expect(await exited).toEqual([0, null]);

		const restarted = await start();
		expect((await join(restarted, world.applicant.cookie)).snapshot.self.space).toBe(caucusId);
	}, 120_000);

	test('in a cluster (REDIS_URL), a clean stop exits 0 too (its Redis connections closed once), and they return', async () => {
		const cluster = { REDIS_URL: process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379' };
		const { caucusId, applicant } = await caucusUnderWay(await start(cluster));
		const closed = new Promise<string>((resolve) => applicant.once('disconnect', resolve));
		const exited = once(servers[0].child, 'exit');
		servers[0].child.kill('SIGTERM');
		expect(await closed).toBe('transport close');
		expect(await exited).toEqual([0, null]);
		expect(servers[0].output()).not.toMatch(/ClientClosedError|unhandled/i);

		const restarted = await start(cluster);
		expect((await join(restarted, world.applicant.cookie)).snapshot.self.space).toBe(caucusId);
	}, 120_000);

	test('after the grace period, a party waits in the lobby to be admitted again', async () => {
		await caucusUnderWay(await start());
		await kill(servers[0]);
		// As if the app had stayed down for ten minutes.
		await withApp(storage, (app) => app.db.update(roomPlaces).set({ seenAt: sql`now() - interval '10 minutes'` }));

		const restarted = await start();
		expect((await join(restarted, world.applicant.cookie)).snapshot.self.space).toBe('lobby');
		expect((await join(restarted, world.cookies.mediator)).snapshot.self.space).toBe('joint');
	}, 120_000);
});
