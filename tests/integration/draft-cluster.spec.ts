/**
 * Two app processes on one PostgreSQL database, joined through Redis (REDIS_URL): people
 * connected to different processes edit the same draft and see each other. Here the two
 * "processes" are two apps in this test process, each with its own HTTP server, database pool,
 * draft store and Redis connections: nothing is shared between them but PostgreSQL and Redis.
 * They also live through Redis dropping their connections.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { DraftStore } from '#server/agreements/draft-store.ts';
import { closeApp, createApp, type App } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import {
	connectTo,
	DraftClient,
	eventually,
	fingerprint,
	paragraphText,
	setUpDraftCase,
	type DraftCase
} from '../support/draft-client.ts';
import { freshDatabase } from '../support/fresh-database.ts';
import { connected } from '../support/socket-client.ts';

const redisUrl = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

type Node = { app: App; server: Server; url: string };

async function startNode(databaseUrl: string): Promise<Node> {
	const app = await createApp(
		loadConfig({
			NODE_ENV: 'test',
			LOG_LEVEL: 'silent',
			DATABASE_URL: databaseUrl,
			REDIS_URL: redisUrl,
			MEDIA_WORKERS: '1'
		})
	);
	const server = createServer();
	app.realtime.attach(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { app, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stopNode(node: Node): Promise<void> {
	node.server.closeAllConnections();
	await closeApp(node.app);
	await new Promise((resolve) => node.server.close(resolve));
}

/** The test's own Redis connection; fails clearly, rather than hanging or skipping, when there is no Redis. */
async function connectRedis(): Promise<RedisClientType> {
	const client: RedisClientType = createClient({
		url: redisUrl,
		socket: { connectTimeout: 3_000, reconnectStrategy: false }
	});
	client.on('error', () => {});
	try {
		await client.connect();
		await client.ping();
		return client;
	} catch (error) {
		if (client.isOpen) await client.quit();
		throw new Error(
			`This test needs Redis at ${redisUrl} (set TEST_REDIS_URL to another): ${(error as Error).message}`,
			{ cause: error }
		);
	}
}

async function redisClientIds(redis: RedisClientType): Promise<number[]> {
	const list = String(await redis.sendCommand(['CLIENT', 'LIST']));
	return [...list.matchAll(/\bid=(\d+)/g)].map((match) => Number(match[1]));
}

describe('a draft edited through two app processes', () => {
	let database: Awaited<ReturnType<typeof freshDatabase>>;
	let world: DraftCase;
	const nodes: Node[] = [];
	const clients: DraftClient[] = [];
	let redis: RedisClientType;
	/** The Redis connections the two apps opened. */
	let appConnections: number[] = [];

	beforeAll(async () => {
		redis = await connectRedis();
		const before = await redisClientIds(redis);
		database = await freshDatabase('tiaojie_cluster');
		// One after the other: each brings the schema up to date on start.
		nodes.push(await startNode(database.url));
		nodes.push(await startNode(database.url));
		appConnections = (await redisClientIds(redis)).filter((id) => !before.includes(id));
		world = await setUpDraftCase(nodes[0].app);
	}, 60_000);

	afterAll(async () => {
		for (const client of clients) client.destroy();
		for (const node of nodes) await stopNode(node);
		await database?.drop();
		if (redis?.isOpen) await redis.quit();
	});

	const join = async (node: Node, cookie: string) => {
		const socket = connectTo(node.url, cookie);
		await connected(socket);
		const client = new DraftClient(socket);
		clients.push(client);
		expect((await client.open(world.caseId)).ok).toBe(true);
		expect((await client.sync()).ok).toBe(true);
		return client;
	};

	/** Every client, both servers' documents and a reload from the database end up the same. */
	async function expectConvergence(everyone: DraftClient[]) {
		await Promise.all(everyone.map((c) => c.settled()));
		const draftId = everyone[0].draftId;
		const docs = async (): Promise<Y.Doc[]> => [
			...everyone.map((c) => c.doc),
			...(await Promise.all(nodes.map(async (n) => (await n.app.drafts.live(draftId)).doc)))
		];
		await eventually(async () => {
			const prints = (await docs()).map(fingerprint);
			for (const print of prints) expect(print).toEqual(prints[0]);
		});
		const expected = fingerprint(everyone[0].doc);
		const reloaded = await new DraftStore(nodes[1].app.database, nodes[1].app.log).live(draftId);
		expect(fingerprint(reloaded.doc)).toEqual(expected);
		reloaded.doc.destroy();
		return expected;
	}

	test('people on different processes type at once and converge, on both servers and every client', async () => {
		const [a, b] = nodes;
		// The mediator starts the draft on A; the expert and another mediator work on B.
		const mediator = await join(a, world.cookies.mediator);
		const expert = await join(b, world.cookies.expert);
		const mediator2 = await join(b, world.cookies.mediator2);
		const markers = ['【甲】', '【乙】', '【丙】'];
		const typists = [mediator, expert, mediator2];
		for (const [i, c] of typists.entries()) expect((await c.append(markers[i])).ok).toBe(true);
		// Each waits until it sees the others' paragraphs, wherever they were typed.
		await eventually(() => typists.every((c) => markers.every((m) => c.text.includes(m))));

		const sends = [];
		for (let n = 0; n < 30; n++) {
			for (const [i, c] of typists.entries()) {
				sends.push(c.type(markers[i], `${i}${n},`));
				// Into the next person's paragraph too (for two of them, on the other process).
				if (n % 3 === 0) sends.push(c.type(markers[(i + 1) % 3], `x${i}${n},`));
			}
		}
		const replies = await Promise.all(sends);
		expect(replies.filter((r) => !r.ok)).toEqual([]);
		const converged = await expectConvergence(typists);
		for (const [i, marker] of markers.entries()) {
			const line = converged.text.split('\n').find((l) => l.startsWith(marker))!;
			const typed = line.slice(marker.length).split(',');
			expect(typed).toEqual(expect.arrayContaining(Array.from({ length: 30 }, (_, n) => `${i}${n}`)));
		}

		// Someone joining B later, once everything settled, is served the same from B.
		const late = await join(b, world.cookies.admin);
		expect(fingerprint(late.doc)).toEqual(converged);

		// An edit on B that builds on what was typed on A is taken by B.
		expect((await expert.edit((f) => paragraphText(f, '【甲】').insert('【甲】'.length, '（专家批注）'))).ok).toBe(
			true
		);
		await expectConvergence([...typists, late]);
	});

	test("awareness from one process reaches clients on the other, by the person's real name", async () => {
		const [a, b] = nodes;
		const mediator = await join(a, world.cookies.mediator);
		const party = await join(a, world.applicant.cookie);
		const expert = await join(b, world.cookies.expert);
		expect((await mediator.setAwareness({ user: { name: '别人' }, cursor: { anchor: 2, head: 2 } })).ok).toBe(true);
		expect((await expert.setAwareness({ user: { name: '别人' }, cursor: null })).ok).toBe(true);
		await eventually(() => {
			expect(expert.others().get(mediator.doc.clientID)).toEqual({
				user: { name: 'east-mediator-名', color: mediator.snapshot!.me.color },
				cursor: { anchor: 2, head: 2 }
			});
			expect(party.others().get(expert.doc.clientID)).toMatchObject({ user: { name: 'expert-名' } });
			expect(mediator.others().get(expert.doc.clientID)).toMatchObject({ user: { name: 'expert-名' } });
		});
		// Someone opening the draft on B later is shown who is there on A at once, with no new update.
		const late = await join(b, world.cookies.mediator2);
		expect(late.others().get(mediator.doc.clientID)).toMatchObject({ user: { name: 'east-mediator-名' } });
		expect(late.others().get(expert.doc.clientID)).toMatchObject({ user: { name: 'expert-名' } });
		// The expert's connection to B dropping takes them away on A too.
		expert.socket.disconnect();
		await eventually(() => {
			expect(party.others().has(expert.doc.clientID)).toBe(false);
			expect(mediator.others().has(expert.doc.clientID)).toBe(false);
		});
		// And from A's copy of the draft: a newcomer on A is not shown them.
		const later = await join(a, world.cookies.townMediator);
		expect(later.others().has(expert.doc.clientID)).toBe(false);
		expect(later.others().has(mediator.doc.clientID)).toBe(true);
	});

	test('the processes live through Redis dropping their connections, and the draft goes on across them', async () => {
		const [a, b] = nodes;
		const mediator = await join(a, world.cookies.mediator);
		const expert = await join(b, world.cookies.expert);
		expect((await mediator.append('【断线之前】')).ok).toBe(true);
		await eventually(() => expect(expert.text).toContain('【断线之前】'));

		expect(appConnections).toHaveLength(4);
		const existing = await redisClientIds(redis);
		for (const id of appConnections) await redis.sendCommand(['CLIENT', 'KILL', 'ID', String(id)]);
		// They come back by themselves: four new connections, the subscribers subscribed again.
		await eventually(async () => {
			const list = String(await redis.sendCommand(['CLIENT', 'LIST'])).split('\n');
			const fresh = list.filter((line) => !existing.includes(Number(/\bid=(\d+)/.exec(line)?.[1])));
			expect(fresh.filter((line) => /\bid=\d+/.test(line))).toHaveLength(4);
			expect(fresh.filter((line) => /\b(p?sub)=[1-9]/.test(line))).toHaveLength(2);
		});

		expect((await mediator.append('【断线之后】')).ok).toBe(true);
		expect((await expert.append('【专家断线之后】')).ok).toBe(true);
		await eventually(() => {
			expect(expert.text).toContain('【断线之后】');
			expect(mediator.text).toContain('【专家断线之后】');
		});
		await expectConvergence([mediator, expert]);
	});
});
