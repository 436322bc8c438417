/**
 * The room recovers from dead media workers and from a dropped connection.
 */
import { execFileSync } from 'node:child_process';
import { expect, test, zh } from '../support/e2e-test.ts';
import {
	enterPin,
	enterRoom,
	expectReceiving,
	joinWithDevices,
	MEDIATOR,
	mediatorSchedules,
	numberOf,
	RESPONDENT,
	tile,
	type RoomDump
} from '../support/e2e-room.ts';

/** The mediasoup workers of the demo server, the app process Playwright started. */
function mediaWorkerPids(): number[] {
	const list = (args: string[]) => {
		try {
			return execFileSync('pgrep', args, { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
		} catch {
			return [];
		}
	};
	return list(['-f', 'e2e-server.ts demo']).flatMap((pid) => list(['-P', String(pid), '-f', 'mediasoup-worker']));
}

test('the room recovers from a dead media worker and from a dropped connection, leaving no ghost', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(180_000);
	const invitations = await mediatorSchedules(page, demo.password, '复会', [RESPONDENT]);
	// Every WebSocket the party's page opens, so that the test can cut its connection.
	const respondent = await (await browser.newContext()).newPage();
	await respondent.addInitScript(() => {
		const sockets: WebSocket[] = [];
		(window as unknown as { openSockets: WebSocket[] }).openSockets = sockets;
		const Native = window.WebSocket;
		window.WebSocket = class extends Native {
			constructor(...args: ConstructorParameters<typeof WebSocket>) {
				super(...args);
				sockets.push(this);
			}
		};
	});
	await enterPin(respondent, invitations[RESPONDENT]);
	await joinWithDevices(respondent);
	const sessionId = await enterRoom(page, '复会');
	await page
		.locator('.people ul.lobby li', { hasText: RESPONDENT })
		.getByRole('button', { name: zh('room_admit') })
		.click();
	await expectReceiving(page, RESPONDENT);
	await expectReceiving(respondent, MEDIATOR);

	await test.step('killed media workers are replaced and media is back within 10 seconds', async () => {
		const pids = mediaWorkerPids();
		expect(pids.length).toBeGreaterThan(0);
		for (const pid of pids) process.kill(pid, 'SIGKILL');
		const killedAt = Date.now();
		// Frames are counted afresh on the new consumers: growth shows media flowing again.
		for (const [viewer, name] of [
			[page, RESPONDENT],
			[respondent, MEDIATOR]
		] as const) {
			const left = 10_000 - (Date.now() - killedAt);
			await expect
				.poll(async () => (await tile(viewer, name).count()) && numberOf(viewer, name, 'data-video-frames'), {
					timeout: Math.max(left, 1)
				})
				.toBeGreaterThan(0);
		}
		expect(mediaWorkerPids().filter((pid) => pids.includes(pid))).toEqual([]);
	});

	await test.step('a dropped connection rejoins by itself into the same space, and the room holds the party once', async () => {
		await respondent.evaluate(() => {
			for (const socket of (window as unknown as { openSockets: WebSocket[] }).openSockets) socket.close();
		});
		await expect(respondent.locator('section.room[data-phase="joined"][data-space="joint"]')).toBeVisible({
			timeout: 20_000
		});
		await expectReceiving(respondent, MEDIATOR);
		await expectReceiving(page, RESPONDENT);
		const dump = (await (await page.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
		expect(dump.peers.filter((p) => p.displayName === RESPONDENT)).toHaveLength(1);
		await expect(page.locator('.people li', { hasText: RESPONDENT })).toHaveCount(1);
	});
	await respondent.context().close();
});
