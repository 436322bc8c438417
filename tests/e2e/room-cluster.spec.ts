/**
 * One mediation served by three app processes (REDIS_URL, one PostgreSQL database) behind a load
 * balancer, with the people's pages in Chromium spread over them: media flows both ways, a caucus
 * stays private, the room's owner killed (kill -9) or stopped (SIGTERM) moves the room to another
 * process, and every page comes back by itself, in its own space.
 */
import type { Page } from '@playwright/test';
import { seedDemo, DEMO_PASSWORD } from '../../server/demo/seed-demo.ts';
import type { Health } from '../../server/health.ts';
import {
	admitFromLobby,
	APPLICANT,
	countersOf,
	enterRoom,
	expectAllReceiving,
	expectLeftOut,
	expectReceiving,
	guest,
	MEDIATOR,
	mediatorSchedules,
	RESPONDENT
} from '../support/e2e-room.ts';
import { clusterPort } from '../support/e2e-state.ts';
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

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const BALANCER_PORT = clusterPort(0);

test.use({ baseURL: `http://127.0.0.1:${BALANCER_PORT}` });

async function clusterOf(server: ServerProcess): Promise<NonNullable<Health['cluster']> & { connections: number }> {
	const { cluster, realtime } = JSON.parse((await health(server.base)).body) as Health;
	if (!cluster) throw new Error(`${server.base} is not in a cluster`);
	return { ...cluster, connections: realtime.connections };
}

/** The live process that owns the room, once exactly one does. */
async function ownerOf(servers: ServerProcess[], sessionId: string): Promise<ServerProcess> {
	let owner: ServerProcess | undefined;
	await expect
		.poll(
			async () => {
				const live = servers.filter((server) => server.child.exitCode === null && server.child.signalCode === null);
				const owning = [];
				for (const server of live) if ((await clusterOf(server)).rooms.includes(sessionId)) owning.push(server);
				owner = owning.length === 1 ? owning[0] : undefined;
				return owning.length;
			},
			{ timeout: 20_000, message: 'one process owning the room' }
		)
		.toBe(1);
	return owner!;
}

test('a mediation spread over three processes: media both ways, a private caucus, the owner killed and then stopped', async ({
	page,
	browser
}) => {
	test.setTimeout(360_000);
	let storage: ServerStorage | undefined;
	let balancer: LoadBalancer | undefined;
	const servers: ServerProcess[] = [];
	try {
		await test.step('three app processes on one database and Redis, behind a load balancer', async () => {
			storage = await serverStorage('postgres', 'e2e_cluster');
			await withApp(storage, seedDemo);
			const ports = [1, 2, 3].map(clusterPort);
			balancer = await LoadBalancer.listen(BALANCER_PORT, ports);
			const env = { REDIS_URL, ORIGIN: balancer.url };
			servers.push(...(await Promise.all(ports.map((port) => startServer(storage!, { port, env })))));
		});
		const lb = balancer!;

		// Each person's connections, their room's socket included, go to a process of their own.
		lb.pin(0);
		const invitations = await mediatorSchedules(page, DEMO_PASSWORD, '跨进程调解', [APPLICANT, RESPONDENT]);
		const sessionId = await enterRoom(page, '跨进程调解');
		lb.pin(1);
		const applicant = await guest(browser, invitations[APPLICANT]);
		lb.pin(2);
		const respondent = await guest(browser, invitations[RESPONDENT]);
		lb.roundRobin();
		const everyone: [Page, string][] = [
			[page, MEDIATOR],
			[applicant, APPLICANT],
			[respondent, RESPONDENT]
		];

		await test.step('the first process owns the room; each process holds one person’s socket', async () => {
			expect(await ownerOf(servers, sessionId)).toBe(servers[0]);
			for (const server of servers) expect((await clusterOf(server)).connections).toBeGreaterThanOrEqual(1);
			const peers = (await clusterOf(servers[1])).peers.map((peer) => peer.processId);
			for (const other of [servers[0], servers[2]]) expect(peers).toContain((await clusterOf(other)).processId);
		});

		await test.step('the mediator admits both parties from the lobby; everyone sees and hears everyone', async () => {
			await admitFromLobby(page, [
				[applicant, APPLICANT],
				[respondent, RESPONDENT]
			]);
			await expectAllReceiving(everyone);
		});

		/** The mediator and the applicant are in their caucus and hear each other; the respondent, in the joint space, receives nothing. */
		async function caucusHolds(after: Map<string, number[]> = new Map()) {
			for (const person of [page, applicant]) {
				await expect(person.locator('section.room[data-space^="caucus:"]')).toBeVisible({ timeout: 30_000 });
			}
			await expect(respondent.locator('section.room[data-space="joint"]')).toBeVisible({ timeout: 30_000 });
			await expectReceiving(applicant, MEDIATOR, { timeout: 30_000, after: after.get('applicant') });
			await expectReceiving(page, APPLICANT, { timeout: 30_000, after: after.get('mediator') });
			// The room's state, asked of whichever process the request reaches, is the owner's.
			await expectLeftOut(page, sessionId, [respondent, RESPONDENT], [MEDIATOR, APPLICANT], () =>
				expectReceiving(applicant, MEDIATOR)
			);
		}

		/** What each caucus member's page has counted of the other's camera, before the media is cut. */
		async function countersNow() {
			return new Map([
				['applicant', await countersOf(applicant, MEDIATOR)],
				['mediator', await countersOf(page, APPLICANT)]
			]);
		}

		await test.step('a caucus with the applicant, on another process than the owner: the respondent receives nothing of it', async () => {
			await page
				.locator('.people li[data-space="joint"]', { hasText: APPLICANT })
				.getByRole('button', { name: zh('room_open_caucus') })
				.click();
			await caucusHolds();
		});

		let survivors = servers.slice(1);
		await test.step('kill -9 of the owner: another process takes the room over, and the caucus is still a caucus', async () => {
			const counters = await countersNow();
			await kill(servers[0]);
			const owner = await ownerOf(survivors, sessionId);
			expect(survivors).toContain(owner);
			await caucusHolds(counters);
		});

		await test.step('SIGTERM of the new owner: it exits 0, and the last process takes the room', async () => {
			const owner = await ownerOf(survivors, sessionId);
			const counters = await countersNow();
			expect(await terminate(owner)).toBe(0);
			survivors = survivors.filter((server) => server !== owner);
			expect(await ownerOf(survivors, sessionId)).toBe(survivors[0]);
			await caucusHolds(counters);
		});

		await test.step('closing the caucus brings everyone together again', async () => {
			await page.getByRole('button', { name: zh('room_close_caucus') }).click();
			for (const [person] of everyone) await expect(person.locator('section.room[data-space="joint"]')).toBeVisible();
			await expectAllReceiving(everyone);
		});
		for (const party of [applicant, respondent]) await party.context().close();
	} finally {
		await page.close();
		await balancer?.close();
		for (const server of servers) await kill(server);
		await storage?.remove();
	}
});
