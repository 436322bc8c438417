/**
 * A live room across three app processes on one PostgreSQL database, joined through Redis, behind
 * a TCP load balancer: the room's owner process holds everyone's media, the others forward their
 * sockets' commands to it. The mediator's page is on one process, each party's on another, and an
 * observer (who watches and listens only) shares the applicant's. They see and hear each other, a
 * caucus stays closed across processes, and the room outlives its owner: killed (kill -9), another
 * process takes it over within 10 s and every page comes back by itself with everyone where they
 * were; stopped (SIGTERM), it hands the room over and exits 0.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, seedDemo } from '#server/demo/seed-demo.ts';
import { clusterPort } from '../support/e2e-state.ts';
import {
	admitFromLobby,
	APPLICANT,
	countersOf,
	enterRoom,
	expectReceiving,
	guest,
	inboundBytes,
	MEDIATOR,
	mediatorSchedules,
	recordPeerConnections,
	RESPONDENT,
	say,
	tile
} from '../support/e2e-room.ts';
import { expect, test, zh } from '../support/e2e-test.ts';
import { LoadBalancer } from '../support/load-balancer.ts';
import {
	health,
	kill,
	serverStorage,
	startServer,
	terminate,
	withApp,
	type ServerProcess,
	type ServerStorage
} from '../support/server-process.ts';

const PROCESSES = 3;
/** Media ports of each process: a range of its own, as on machines of their own. */
const MEDIA_PORTS = 15;
const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
/** What issue 19 promises after the owner's death: the room taken over and media back. */
const TAKEOVER_MS = 10_000;
const TITLE = '跨进程调解';
const OBSERVER = '赵六';

type Cluster = { processId: string; rooms: string[]; peers: { processId: string; rooms: number }[] } | null;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

let storage: ServerStorage;
let balancer: LoadBalancer;
const servers: ServerProcess[] = [];
/** Each person's page; the test pins their sockets to processes 0, 1, 2 and 1. */
let mediator: Page;
let applicant: Page;
let respondent: Page;
let observer: Page;
let sessionId = '';

const alive = () => servers.filter((server) => server.child.exitCode === null && server.child.signalCode === null);

/** What a process's /healthz says of the cluster; undefined while it does not answer. */
async function clusterOf(server: ServerProcess): Promise<Cluster | undefined> {
	const answer = await health(server.base).catch(() => undefined);
	return answer?.status === 200 ? (JSON.parse(answer.body) as { cluster: Cluster }).cluster : undefined;
}

/** The index of the one live process that owns the room, once exactly one says it does. */
async function roomOwner({ timeout = 10_000 } = {}): Promise<number> {
	let owners: number[] = [];
	await expect
		.poll(
			async () => {
				const clusters = await Promise.all(alive().map(clusterOf));
				owners = alive()
					.filter((_, i) => clusters[i]?.rooms.includes(sessionId))
					.map((server) => servers.indexOf(server));
				return owners.length;
			},
			{ timeout, intervals: [250], message: 'processes owning the room' }
		)
		.toBe(1);
	return owners[0];
}

/** A page and whose audio and video it is to receive. */
type Hearing = [Page, string];

/** In the joint space everyone receives everyone else, the observer too (who sends nothing). */
const joint = (): Hearing[] => [
	[mediator, APPLICANT],
	[mediator, RESPONDENT],
	[applicant, MEDIATOR],
	[applicant, RESPONDENT],
	[respondent, MEDIATOR],
	[respondent, APPLICANT],
	[observer, MEDIATOR],
	[observer, APPLICANT],
	[observer, RESPONDENT]
];

/** With the mediator and the applicant in a caucus, the observer hears only the respondent. */
const walled = (): Hearing[] => [
	[mediator, APPLICANT],
	[applicant, MEDIATOR],
	[observer, RESPONDENT]
];

/**
 * Each page receives whom it should, within `timeout`; `after` (from `countersBefore`), on new
 * consumers once the media was cut.
 */
const expectHearing = (hearings: Hearing[], { timeout = 20_000, after = [] as number[][] } = {}) =>
	Promise.all(hearings.map(([page, name], i) => expectReceiving(page, name, { timeout, after: after[i] })));

const countersBefore = (hearings: Hearing[]) => Promise.all(hearings.map(([page, name]) => countersOf(page, name)));

/** The streams whose bytes grew on `page` since `before` (from `inboundBytes`). */
async function growingSince(page: Page, before: Record<string, number>): Promise<string[]> {
	return Object.entries(await inboundBytes(page))
		.filter(([ssrc, bytes]) => bytes > (before[ssrc] ?? 0))
		.map(([ssrc]) => ssrc);
}

/** Nobody's page shows anyone on the other side of the caucus's wall. */
async function expectWalled(): Promise<void> {
	for (const member of [mediator, applicant])
		for (const name of [RESPONDENT, OBSERVER]) await expect(tile(member, name)).toHaveCount(0);
	for (const outside of [respondent, observer])
		for (const name of [MEDIATOR, APPLICANT]) await expect(tile(outside, name)).toHaveCount(0);
}

/** `page` has joined the room (again) and is in `space`. */
const expectIn = (page: Page, space: string) =>
	expect(page.locator('section.room[data-phase="joined"]')).toHaveAttribute('data-space', space);

test.beforeAll(async ({ browser }) => {
	test.setTimeout(180_000);
	storage = await serverStorage('postgres', 'room_cluster');
	await withApp(storage, seedDemo);
	const ports = Array.from({ length: PROCESSES }, (_, i) => clusterPort(1 + i));
	balancer = await LoadBalancer.listen(clusterPort(0), ports);
	// The schema is in place since seeding: the processes can start side by side. Each is kept as
	// it comes up, for afterAll to stop should another fail to.
	await Promise.all(
		ports.map(async (port, i) => {
			servers[i] = await startServer(storage, {
				port,
				env: {
					REDIS_URL,
					ORIGIN: balancer.url,
					LOG_LEVEL: 'info',
					MEDIA_MIN_PORT: String(clusterPort(10 + i * MEDIA_PORTS)),
					MEDIA_MAX_PORT: String(clusterPort(10 + i * MEDIA_PORTS + MEDIA_PORTS - 1))
				}
			});
		})
	);
	const context = await browser.newContext({ baseURL: balancer.url });
	await context.addInitScript(recordPeerConnections);
	mediator = await context.newPage();
});

// eslint-disable-next-line no-empty-pattern -- Playwright reads a hook's fixtures from this pattern.
test.afterEach(async ({}, testInfo) => {
	if (testInfo.status === testInfo.expectedStatus) return;
	// Kept as files in the test's results: what each process logged, whole.
	for (const [i, server] of servers.entries()) {
		const path = testInfo.outputPath(`process-${i}.log`);
		writeFileSync(path, server.output());
		await testInfo.attach(`process ${i}`, { path, contentType: 'text/plain' });
	}
});

test.afterAll(async () => {
	for (const page of [mediator, applicant, respondent, observer]) await page?.context().close();
	await Promise.all(servers.map(kill));
	await balancer?.close();
	await storage?.remove();
});

test('people on three processes meet in one room: the lobby, admitting, and media both ways', async ({ browser }) => {
	await test.step('the processes know each other', async () => {
		const processIds = (await Promise.all(servers.map(clusterOf))).map((cluster) => cluster?.processId);
		expect(new Set(processIds).size).toBe(PROCESSES);
		// Other clusters may share the Redis server (other tests): their processes are listed too.
		for (const [i, server] of servers.entries()) {
			await expect
				.poll(async () => (await clusterOf(server))?.peers.map((peer) => peer.processId))
				.toEqual(expect.arrayContaining(processIds.filter((_, j) => j !== i)));
		}
	});

	balancer.pin(0);
	const invitations = await mediatorSchedules(mediator, DEMO_PASSWORD, TITLE, [APPLICANT, RESPONDENT], [OBSERVER]);

	await test.step('the others, on the two other processes, wait in the lobby, where no media flows', async () => {
		balancer.pin(1);
		applicant = await guest(browser, invitations[APPLICANT]);
		sessionId = new URL(applicant.url()).pathname.split('/')[2];
		observer = await guest(browser, invitations[OBSERVER], { devices: false });
		balancer.pin(2);
		respondent = await guest(browser, invitations[RESPONDENT]);
		for (const party of [applicant, respondent, observer]) {
			await expect(party.locator('section.room[data-space="lobby"]')).toBeVisible();
			await expect(party.locator('figure.tile')).toHaveCount(0);
		}
	});

	await test.step('the first to join opened the room on their own process', async () => {
		expect(await roomOwner()).toBe(1);
	});

	await test.step('the mediator, on the first process, sees them waiting and admits them', async () => {
		balancer.pin(0);
		expect(await enterRoom(mediator, TITLE)).toBe(sessionId);
		// Reconnections from here on spread over whichever processes live.
		balancer.roundRobin();
		await admitFromLobby(mediator, [
			[applicant, APPLICANT],
			[respondent, RESPONDENT],
			[observer, OBSERVER]
		]);
	});

	await test.step('everyone receives everyone else’s audio and video', () => expectHearing(joint()));
});

test('a caucus across processes: those left in the joint space neither receive it nor are received in it, and its chat stays in it', async () => {
	await mediator
		.locator('.people li[data-space="joint"]', { hasText: APPLICANT })
		.getByRole('button', { name: zh('room_open_caucus') })
		.click();
	for (const member of [mediator, applicant])
		await expect(member.locator('section.room[data-space^="caucus:"]')).toBeVisible();
	for (const outside of [respondent, observer])
		await expect(outside.locator('section.room[data-space="joint"]')).toBeVisible();
	await expectHearing(walled());

	await test.step('no media crosses the caucus’s wall either way', async () => {
		await expectWalled();
		const pages = [mediator, applicant, respondent, observer];
		const before = await Promise.all(pages.map(inboundBytes));
		// Both spaces talk on meanwhile.
		await expectHearing(walled());
		const [toMediator, toApplicant, toRespondent, toObserver] = await Promise.all(
			pages.map((page, i) => growingSince(page, before[i]))
		);
		// Each gets the audio and video of the one other who speaks in their space, and nothing more.
		expect(toMediator).toHaveLength(2);
		expect(toApplicant).toHaveLength(2);
		expect(toObserver).toHaveLength(2);
		expect(toRespondent).toEqual([]);
	});

	await test.step('chat stays in its space', async () => {
		await say(applicant, '我可以少要一点赔偿');
		await expect(mediator.locator('.chat li', { hasText: '我可以少要一点赔偿' })).toBeVisible();
		await say(respondent, '我在联合会谈里等着');
		await expect(observer.locator('.chat li', { hasText: '我在联合会谈里等着' })).toBeVisible();
		await expect(mediator.locator('.chat li', { hasText: '我在联合会谈里等着' })).toHaveCount(0);
		for (const outside of [respondent, observer])
			await expect(outside.locator('.chat li', { hasText: '我可以少要一点赔偿' })).toHaveCount(0);
	});
});

test('kill -9 of the owner: another process takes the room over within 10 s, media comes back by itself, the caucus stays a caucus', async () => {
	const caucus = (await mediator.locator('section.room').getAttribute('data-space'))!;
	expect(caucus).toMatch(/^caucus:/);
	const owner = await roomOwner();
	const before = await countersBefore(walled());
	await kill(servers[owner]);
	const killedAt = Date.now();
	const left = () => Math.max(1, TAKEOVER_MS - (Date.now() - killedAt));

	// Nobody clicks anything: the pages reconnect, join again and make their media anew, each
	// speaker's heard by someone.
	await expectHearing(walled(), { timeout: left(), after: before });
	const mediaBackMs = Date.now() - killedAt;
	// Another process owns the room (only live ones are asked).
	await roomOwner({ timeout: left() });
	test.info().annotations.push({ type: 'takeover', description: `media back ${mediaBackMs} ms after kill -9` });

	await test.step('everyone is where they were', async () => {
		for (const member of [mediator, applicant]) await expectIn(member, caucus);
		for (const outside of [respondent, observer]) await expectIn(outside, 'joint');
		await expectWalled();
	});

	await test.step('closing the caucus, everyone receives everyone again', async () => {
		await mediator.getByRole('button', { name: zh('room_close_caucus') }).click();
		for (const viewer of [mediator, applicant, respondent, observer])
			await expect(viewer.locator('section.room[data-space="joint"]')).toBeVisible();
		await expectHearing(joint());
	});
});

test('SIGTERM of the owner: it hands the room over and exits 0, and media comes back on another process', async () => {
	const owner = await roomOwner();
	const before = await countersBefore(joint());
	expect(await terminate(servers[owner])).toBe(0);
	// Another process owns the room (only live ones are asked).
	await roomOwner();
	await expectHearing(joint(), { after: before });
	for (const page of [mediator, applicant, respondent, observer]) await expectIn(page, 'joint');
});
