/**
 * One room across app processes (REDIS_URL, one PostgreSQL database): people whose sockets are on
 * different processes are in the same room, caucuses included; the room's owner dying (SIGKILL) or
 * stopping (SIGTERM) moves the room to another process, and everyone is put back where they were.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { roomPlaces } from '#server/db/schema.ts';
import type { Health } from '#server/health.ts';
import type { RoomSnapshot } from '#shared/realtime-events.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { connectTo, eventually, setUpDraftCase, type DraftCase } from '../support/draft-client.ts';
import {
	freePort,
	health,
	kill,
	serverStorage,
	startServer,
	withApp,
	type ServerProcess,
	type ServerStorage
} from '../support/server-process.ts';
import { consume, consumeCode, produce, transports, type Peer } from '../support/room-peers.ts';
import { connected, disconnected, type ClientSocket } from '../support/socket-client.ts';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

describe('a room whose people are on different app processes', () => {
	let storage: ServerStorage;
	let world: DraftCase;
	let sessionId: string;
	let servers: ServerProcess[] = [];
	let sockets: ClientSocket[] = [];

	beforeAll(async () => {
		storage = await serverStorage('postgres', 'room_cluster');
		world = await withApp(storage, setUpDraftCase);
		sessionId = world.sessionId;
	}, 120_000);

	afterEach(async () => {
		for (const socket of sockets) socket.close();
		for (const server of servers) await kill(server);
		sockets = [];
		servers = [];
		await withApp(storage, (app) => app.db.delete(roomPlaces));
	});

	afterAll(async () => {
		await storage?.remove();
	});

	async function cluster(size: number): Promise<ServerProcess[]> {
		servers = await Promise.all(Array.from({ length: size }, () => startServer(storage, { env: { REDIS_URL } })));
		return servers;
	}

	async function clusterOf(server: ServerProcess): Promise<NonNullable<Health['cluster']>> {
		const { cluster } = JSON.parse((await health(server.base)).body) as Health;
		if (!cluster) throw new Error(`${server.base} is not in a cluster`);
		return cluster;
	}

	/**
	 * Connects to this process and joins the room, as a page does: asked again while the room is
	 * between owners (a join forwarded to an owner that just died is not answered, or its socket is
	 * closed to join again). Every fact the socket gets is kept, in order.
	 */
	async function join(server: ServerProcess, cookie: string): Promise<Peer> {
		let person: Peer | undefined;
		await eventually(async () => {
			const socket = connectTo(server.base, cookie);
			sockets.push(socket);
			const facts: Peer['facts'] = [];
			socket.onAny((event: string, fact: unknown) => facts.push([event, fact]));
			try {
				await connected(socket);
				const snapshot = await ask(socket, 'room:join', { sessionId });
				person = { socket, facts, snapshot, id: snapshot.self.id };
			} catch (error) {
				socket.close();
				throw error;
			}
		}, 20_000);
		return person!;
	}

	/** As a page does after its connection closed: connects to a live process and joins again. */
	async function rejoin(person: Peer, server: ServerProcess, cookie: string): Promise<RoomSnapshot> {
		person.socket.close();
		return (await join(server, cookie)).snapshot;
	}

	/** Whether the person was told this, as `event`. */
	const told = (person: Peer, event: string, matches: (fact: Record<string, unknown>) => boolean) =>
		person.facts.some(([name, fact]) => name === event && matches(fact as Record<string, unknown>));

	/** The mediator on one process holds a caucus with the applicant on another; the respondent, on the last, waits in the joint space. */
	async function caucusAcross(on: ServerProcess[]) {
		const mediator = await join(on[0], world.cookies.mediator);
		const applicant = await join(on[1], world.applicant.cookie);
		const respondent = await join(on[on.length - 1], world.respondent.cookie);
		expect(mediator.snapshot.self.space).toBe('joint');
		expect([applicant.snapshot.self.space, respondent.snapshot.self.space]).toEqual(['lobby', 'lobby']);
		// The mediator sees those waiting in the lobby, whichever process they came through.
		await eventually(() =>
			expect(mediator.facts.filter(([event]) => event === 'room:peerJoined').length).toBeGreaterThanOrEqual(2)
		);
		await ask(mediator.socket, 'room:admit', { peerId: world.applicant.participantId });
		await ask(mediator.socket, 'room:admit', { peerId: world.respondent.participantId });
		const { caucusId } = await ask(mediator.socket, 'room:openCaucus', {
			memberIds: [world.applicant.participantId]
		});
		return { mediator, applicant, respondent, caucusId };
	}

	test('one room, one owner: admitting, caucuses, media, muting and chat work across processes, and a caucus stays private', async () => {
		const on = await cluster(2);
		const { mediator, applicant, respondent, caucusId } = await caucusAcross(on);

		// The room is run by one process only, the one the first person came through.
		const [first, second] = await Promise.all(on.map(clusterOf));
		expect(first.rooms).toEqual([sessionId]);
		expect(second.rooms).toEqual([]);
		expect(first.peers.map((peer) => peer.processId)).toContain(second.processId);

		// The applicant, on the other process, was moved into the caucus and told what they may see there.
		await eventually(() => expect(told(applicant, 'room:peerMoved', (move) => move.space === caucusId)).toBe(true));
		// Media: the applicant's producers live on the owner's router; the mediator, in the caucus, may
		// consume them, and the respondent, in the joint space on the applicant's own process, may not.
		const sent = await produce(applicant, 'mic', 'camera');
		await eventually(() => expect(told(mediator, 'room:newProducer', (p) => p.id === sent.camera)).toBe(true));
		await transports(mediator);
		await transports(respondent);
		expect((await consume(mediator, sent.camera!)).producerId).toBe(sent.camera);
		expect(await consumeCode(respondent, sent.camera!)).toBe('FORBIDDEN');
		expect(told(respondent, 'room:newProducer', (p) => p.id === sent.camera)).toBe(false);
		// The mediator mutes the applicant's microphone on the owner: the applicant, on the other process, is told.
		await ask(mediator.socket, 'room:mute', { peerId: applicant.id, source: 'mic' });
		await eventually(() => expect(told(applicant, 'room:peerMuted', (m) => m.producerId === sent.mic)).toBe(true));

		// What is said in the caucus reaches the mediator, on the other process, and never the respondent.
		await ask(applicant.socket, 'room:chat', { body: '只跟调解员说' });
		await eventually(() =>
			expect(told(mediator, 'room:chat', (message) => message.body === '只跟调解员说')).toBe(true)
		);
		await ask(mediator.socket, 'room:chat', { body: '好的' });
		await eventually(() => expect(told(applicant, 'room:chat', (message) => message.body === '好的')).toBe(true));
		expect(respondent.facts.filter(([event]) => event === 'room:chat')).toEqual([]);
	}, 120_000);

	test('the owner killed (SIGKILL): another process takes the room over, and everyone is back where they were', async () => {
		const on = await cluster(2);
		const { mediator, applicant, respondent, caucusId } = await caucusAcross(on);
		const [owner, survivor] = on;
		expect((await clusterOf(owner)).rooms).toEqual([sessionId]);

		// The survivor closes the connections it forwarded to the dead owner, once its lease has run out.
		const applicantClosed = disconnected(applicant.socket);
		await kill(owner);
		expect(await applicantClosed).toBe('transport close');
		const back = {
			mediator: await rejoin(mediator, survivor, world.cookies.mediator),
			applicant: await rejoin(applicant, survivor, world.applicant.cookie),
			respondent: await rejoin(respondent, survivor, world.respondent.cookie)
		};
		expect(back.mediator.self.space).toBe(caucusId);
		expect(back.applicant.self.space).toBe(caucusId);
		expect(back.respondent.self.space).toBe('joint');
		expect((await clusterOf(survivor)).rooms).toEqual([sessionId]);
	}, 120_000);

	test('the owner stopped (SIGTERM): it exits 0 and hands the room over; everyone is back where they were', async () => {
		const on = await cluster(2);
		const { mediator, applicant, respondent, caucusId } = await caucusAcross(on);
		const [owner, survivor] = on;
		const { processId: ownerId } = await clusterOf(owner);

		const applicantClosed = disconnected(applicant.socket);
		const exited = once(owner.child, 'exit');
		owner.child.kill('SIGTERM');
		expect(await exited).toEqual([0, null]);
		expect(owner.output()).not.toMatch(/ClientClosedError|unhandled|error/i);
		// Handed over: the other process's sockets are told to join again at once, not after a lease runs out.
		expect(await applicantClosed).toBe('transport close');
		expect((await rejoin(applicant, survivor, world.applicant.cookie)).self.space).toBe(caucusId);
		expect((await rejoin(mediator, survivor, world.cookies.mediator)).self.space).toBe(caucusId);
		expect((await rejoin(respondent, survivor, world.respondent.cookie)).self.space).toBe('joint');
		// The stopped process is no longer a peer (other tests' processes may share this Redis).
		expect((await clusterOf(survivor)).peers.map((peer) => peer.processId)).not.toContain(ownerId);
	}, 120_000);

	test('a Redis that goes away is logged, not fatal: the process stays up and /healthz says degraded', async () => {
		const port = await freePort();
		const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
			stdio: 'ignore'
		});
		try {
			let server: ServerProcess | undefined;
			await eventually(async () => {
				server = await startServer(storage, { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
			}, 30_000);
			servers.push(server!);
			redis.kill('SIGKILL');
			await once(redis, 'exit');
			await eventually(async () => {
				const { status, body } = await health(server!.base);
				expect(status).toBe(503);
				expect(JSON.parse(body)).toMatchObject({ status: 'degraded', cluster: null });
			}, 15_000);
			expect(server!.child.exitCode).toBeNull();
			expect(server!.output()).toMatch(/Redis connection failed/);
		} finally {
			redis.kill('SIGKILL');
		}
	}, 120_000);
});
