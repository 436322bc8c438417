import { execFileSync } from 'node:child_process';
import type { Browser, Page } from '@playwright/test';
import { expect, logIn, test, zh } from '../support/e2e-test.ts';

// The recovery test kills the media workers, which the other test's media would feel.
test.describe.configure({ mode: 'serial' });

/**
 * A live mediation in Chromium with fake camera and microphone. Only this file uses the 东村
 * noise case (陈桂芳 v 林志强, accepted, handled by 李明华 of the 东村 committee): it schedules
 * a session, both parties join by link and PIN, and the mediator runs the room.
 */
const MEDIATOR = '李明华';
const APPLICANT = '陈桂芳';
const RESPONDENT = '林志强';
const EXPERT = '陈律师';

type Invitation = { link: string; pin: string };
type RoomDump = {
	peers: {
		id: string;
		displayName: string;
		space: string;
		producers: { id: string }[];
		consumers: { producerId: string; spatialLayer?: number }[];
	}[];
};

/** The tile of `name`'s camera on `page`. */
const tile = (page: Page, name: string) => page.locator('figure.tile[data-source="camera"]', { hasText: name });
const numberOf = async (page: Page, name: string, attribute: string) =>
	Number(await tile(page, name).getAttribute(attribute));

/** `page` receives `name`'s audio and video: bytes keep arriving and frames keep being decoded. */
async function expectReceiving(page: Page, name: string): Promise<void> {
	await expect(tile(page, name)).toBeVisible();
	for (const attribute of ['data-video-frames', 'data-audio-bytes']) {
		const before = await numberOf(page, name, attribute);
		await expect
			.poll(() => numberOf(page, name, attribute), { timeout: 20_000, message: `${attribute} of ${name}` })
			.toBeGreaterThan(before);
	}
}

/** Keeps every RTCPeerConnection a page makes on `window.peerConnections`, for its WebRTC statistics. */
function recordPeerConnections(): void {
	const Native = window.RTCPeerConnection;
	const made: RTCPeerConnection[] = [];
	Object.assign(window, { peerConnections: made });
	window.RTCPeerConnection = class extends Native {
		constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
			super(...args);
			made.push(this);
		}
	};
}

/**
 * The media bytes `page` has received, by incoming stream (SSRC), from its WebRTC statistics.
 * mediasoup's bandwidth probe (the `probator` stream, padding only) carries no media: left out.
 */
const inboundBytes = (page: Page) =>
	page.evaluate(async () => {
		const bytes: Record<string, number> = {};
		for (const connection of (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections) {
			(await connection.getStats()).forEach(
				(report: { type: string; mid?: string; ssrc?: number; bytesReceived?: number }) => {
					if (report.type === 'inbound-rtp' && report.mid !== 'probator') {
						bytes[String(report.ssrc)] = report.bytesReceived ?? 0;
					}
				}
			);
		}
		return bytes;
	});

async function joinWithDevices(page: Page): Promise<void> {
	await page.getByRole('button', { name: zh('device_join'), exact: true }).click();
	await expect(page.locator('[data-phase="joined"]')).toBeVisible();
}

/** Someone invited opens their link in `page` and enters the PIN; the device check comes next. */
async function enterPin(page: Page, invitation: Invitation): Promise<void> {
	await page.goto(invitation.link);
	await page.getByLabel(zh('join_pin')).fill(invitation.pin);
	await page.getByRole('button', { name: zh('join_submit') }).click();
}

/** Someone invited opens their link in a browser of their own, enters the PIN and joins. */
async function guest(browser: Browser, invitation: Invitation): Promise<Page> {
	const context = await browser.newContext();
	await context.addInitScript(recordPeerConnections);
	const page = await context.newPage();
	await enterPin(page, invitation);
	await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\/room$/);
	await expect(page.getByRole('heading', { name: zh('device_check_title') })).toBeVisible();
	await joinWithDevices(page);
	return page;
}

/** An hour from now, as a datetime-local field takes it (in the browser's time zone, the test's). */
function inAnHour(): string {
	const soon = new Date(Date.now() + 3_600_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${soon.getFullYear()}-${pad(soon.getMonth() + 1)}-${pad(soon.getDate())}T${pad(soon.getHours())}:${pad(soon.getMinutes())}`;
}

/** The mediator logs in on `page`, opens the case and schedules a mediation inviting `names`. */
async function mediatorSchedules(page: Page, password: string, title: string, names: string[]) {
	await logIn(page, 'mediator', password);
	await openCase(page);
	return scheduleSession(page, title, names);
}

/** On the case page open in `page`, schedules a mediation in an hour inviting `names`; returns their invitations. */
async function scheduleSession(page: Page, title: string, names: string[]): Promise<Record<string, Invitation>> {
	const sessions = page.locator('section[aria-labelledby="case-sessions"]');
	await sessions.locator('summary', { hasText: zh('session_schedule') }).click();
	const form = sessions.locator('form[action*="scheduleSession"]');
	await form.getByLabel(zh('session_time'), { exact: true }).fill(inAnHour());
	await form.getByLabel(zh('session_title')).fill(title);
	for (const name of names) await form.locator('label.choice', { hasText: name }).locator('input').check();
	await form.locator('button[type="submit"]').click();
	const invitations: Record<string, Invitation> = {};
	for (const name of names) {
		const shown = sessions.locator(`[data-invitation="${name}"]`);
		invitations[name] = {
			link: await shown.locator('.invitation-link').inputValue(),
			pin: (await shown.locator('.invitation-pin').textContent())!
		};
	}
	return invitations;
}

/** Opens the land case's page and returns its URL. */
async function openCase(page: Page): Promise<string> {
	await page.goto('/cases');
	await page.getByRole('row').filter({ hasText: APPLICANT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	return page.url();
}

async function enterRoom(page: Page, title: string): Promise<string> {
	await page
		.locator('section[aria-labelledby="case-sessions"] li[data-session]', { hasText: title })
		.getByRole('link', { name: zh('session_enter_room') })
		.click();
	await joinWithDevices(page);
	return (await page.locator('section.room').getAttribute('data-session'))!;
}

async function say(page: Page, text: string): Promise<void> {
	await page.getByLabel(zh('room_chat_input')).fill(text);
	await page.getByRole('button', { name: zh('room_chat_send') }).click();
	await expect(page.locator('.chat li', { hasText: text })).toBeVisible();
}

test('a mediator admits two parties, all see and hear each other, a caucus isolates one party, chat follows the spaces', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(240_000);
	await logIn(page, 'mediator', demo.password);
	const caseUrl = await openCase(page);

	const invitations = await test.step('schedule a mediation with both parties invited', () =>
		scheduleSession(page, '噪音纠纷调解', [APPLICANT, RESPONDENT]));

	const applicant = await guest(browser, invitations[APPLICANT]);
	const respondent = await guest(browser, invitations[RESPONDENT]);
	await test.step('the parties wait in the lobby, where no media flows', async () => {
		for (const party of [applicant, respondent]) {
			await expect(party.locator('section.room[data-space="lobby"]')).toBeVisible();
			await expect(party.getByText(zh('room_lobby_wait'))).toBeVisible();
			await expect(party.locator('figure.tile')).toHaveCount(0);
		}
	});

	let sessionId = '';
	await test.step('the mediator enters with the account, sees who waits and admits both', async () => {
		sessionId = await enterRoom(page, '噪音纠纷调解');
		await expect(page.locator('section.room[data-space="joint"]')).toBeVisible();
		const lobby = page.locator('.people ul.lobby');
		for (const name of [APPLICANT, RESPONDENT]) {
			await lobby
				.locator('li', { hasText: name })
				.getByRole('button', { name: zh('room_admit') })
				.click();
		}
		await expect(lobby).toHaveCount(0);
		for (const party of [applicant, respondent])
			await expect(party.locator('section.room[data-space="joint"]')).toBeVisible();
	});

	await test.step('everyone receives everyone else’s audio and video', async () => {
		for (const [viewer, others] of [
			[page, [APPLICANT, RESPONDENT]],
			[applicant, [MEDIATOR, RESPONDENT]],
			[respondent, [MEDIATOR, APPLICANT]]
		] as const) {
			for (const name of others) await expectReceiving(viewer, name);
		}
	});

	await test.step('whoever alone speaks is highlighted on the others’ pages; muted microphones show as muted', async () => {
		// Chromium's fake microphones all beep alike, so with all open the loudest changes from one
		// moment to the next. With one open, the room's audio level observer can name only that one.
		const everyone = [
			[page, MEDIATOR],
			[applicant, APPLICANT],
			[respondent, RESPONDENT]
		] as const;
		const setMic = async (viewer: Page, on: boolean) => {
			const button = viewer.locator('[data-control="mic"]');
			if ((await button.getAttribute('aria-pressed')) !== String(on)) await button.click();
			await expect(button).toHaveAttribute('aria-pressed', String(on));
		};
		const highlighted = (viewer: Page) => viewer.locator('figure.tile.speaking');
		for (const [speaker, speakerName] of [everyone[0], everyone[1]]) {
			for (const [viewer] of everyone) await setMic(viewer, viewer === speaker);
			for (const [listener, listenerName] of everyone) {
				if (listener === speaker) {
					// A page never highlights its own tile.
					await expect(highlighted(listener)).toHaveCount(0);
					continue;
				}
				await expect(highlighted(listener)).toHaveCount(1);
				await expect(highlighted(listener)).toContainText(speakerName);
				await expect(tile(speaker, listenerName).getByTitle(zh('room_mic_off'))).toBeVisible();
			}
		}
		for (const [viewer] of everyone) await setMic(viewer, true);
		await expect(tile(page, APPLICANT).getByTitle(zh('room_mic_off'))).toHaveCount(0);
	});

	await test.step('each video consumer’s simulcast layer follows the size of its tile', async () => {
		const layers = async () => {
			const dump = (await (await page.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
			const mediator = dump.peers.find((p) => p.displayName === MEDIATOR)!;
			return mediator.consumers.map((c) => c.spatialLayer).filter((layer) => layer !== undefined);
		};
		// A phone-sized window: small tiles take the smallest layer; a wide one, a larger layer.
		await page.setViewportSize({ width: 420, height: 800 });
		await expect.poll(layers).toEqual([0, 0]);
		await page.setViewportSize({ width: 1600, height: 900 });
		await expect.poll(layers).toEqual([1, 1]);
	});

	await test.step('a caucus with the applicant: the respondent sees and holds nothing of it', async () => {
		// Before it, the respondent's statistics show the others' streams coming in.
		expect(Object.values(await inboundBytes(respondent)).filter((bytes) => bytes > 0).length).toBeGreaterThanOrEqual(4);
		await page
			.locator('.people li[data-space="joint"]', { hasText: APPLICANT })
			.getByRole('button', { name: zh('room_open_caucus') })
			.click();
		await expect(page.locator('section.room[data-space^="caucus:"]')).toBeVisible();
		await expect(applicant.locator('section.room[data-space^="caucus:"]')).toBeVisible();
		await expect(applicant.getByText(zh('room_in_caucus'))).toBeVisible();
		await expect(respondent.locator('section.room[data-space="joint"]')).toBeVisible();
		// Those inside are told who hears them; the one left outside, who is away and that they wait.
		await expect(applicant.locator('[data-banner="caucus"]')).toContainText(
			zh('room_caucus_hearers', { names: MEDIATOR })
		);
		await expect(
			respondent.getByRole('status').filter({ hasText: zh('room_caucus_elsewhere', { names: APPLICANT }) })
		).toBeVisible();
		await expect(respondent.getByText(zh('room_in_joint'))).toHaveCount(0);

		await expectReceiving(applicant, MEDIATOR);
		await expectReceiving(page, APPLICANT);
		// The respondent's page shows no one else and receives nothing at all, while the caucus talks on;
		// the server holds no consumer of theirs for the caucus.
		await expect(respondent.locator('figure.tile')).toHaveCount(1);
		await expect(tile(respondent, APPLICANT)).toHaveCount(0);
		await respondent.waitForTimeout(1000);
		const heardBefore = await inboundBytes(respondent);
		await expectReceiving(applicant, MEDIATOR);
		await respondent.waitForTimeout(2000);
		const heardSince = Object.entries(await inboundBytes(respondent)).filter(
			([ssrc, bytes]) => bytes > (heardBefore[ssrc] ?? 0)
		);
		expect(heardSince).toEqual([]);
		const dump = (await (await page.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
		const byName = (name: string) => dump.peers.find((p) => p.displayName === name)!;
		const caucusProducers = [...byName(MEDIATOR).producers, ...byName(APPLICANT).producers].map((p) => p.id);
		expect(caucusProducers.length).toBeGreaterThanOrEqual(4);
		expect(byName(RESPONDENT).space).toBe('joint');
		expect(byName(RESPONDENT).consumers.filter((c) => caucusProducers.includes(c.producerId))).toEqual([]);
	});

	await test.step('chat stays in its space', async () => {
		await say(applicant, '我愿意让一步，但要先道歉');
		await expect(page.locator('.chat li', { hasText: '我愿意让一步' })).toBeVisible();
		await say(respondent, '我在联合会谈里等');
		await expect(respondent.locator('.chat li', { hasText: '我愿意让一步' })).toHaveCount(0);
		await expect(page.locator('.chat li', { hasText: '我在联合会谈里等' })).toHaveCount(0);
	});

	await test.step('closing the caucus brings joint media and the joint chat back', async () => {
		await page.getByRole('button', { name: zh('room_close_caucus') }).click();
		for (const viewer of [page, applicant, respondent])
			await expect(viewer.locator('section.room[data-space="joint"]')).toBeVisible();
		await expect(respondent.getByText(zh('room_in_joint'))).toBeVisible();
		await expectReceiving(respondent, APPLICANT);
		await expectReceiving(respondent, MEDIATOR);
		await expectReceiving(applicant, RESPONDENT);
		await expect(applicant.locator('.chat li', { hasText: '我在联合会谈里等' })).toBeVisible();
	});

	await test.step('a reload puts a party back where they were', async () => {
		await respondent.reload();
		await joinWithDevices(respondent);
		await expect(respondent.locator('section.room[data-space="joint"]')).toBeVisible();
		await expectReceiving(respondent, MEDIATOR);
		await expect(page.locator('.people li', { hasText: RESPONDENT })).toHaveCount(1);
	});

	await test.step('the chat is kept with the case', async () => {
		const caseView = await page.context().newPage();
		await caseView.goto(caseUrl);
		const transcript = caseView.locator('li[data-session]', { hasText: '噪音纠纷调解' }).locator('.session-chat');
		await expect(transcript).toContainText('我愿意让一步，但要先道歉');
		await expect(transcript).toContainText('我在联合会谈里等');
		await caseView.close();
	});

	for (const party of [applicant, respondent]) await party.context().close();
});

test('a party checks their devices, comes back to the lobby after a reload, turns the camera off and on, shares the screen and leaves', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(180_000);
	const invitations = await mediatorSchedules(page, demo.password, '设备与控件', [APPLICANT]);
	const applicant = await (await browser.newContext()).newPage();
	await enterPin(applicant, invitations[APPLICANT]);

	await test.step('the device check previews the camera, shows the microphone’s level and takes another microphone', async () => {
		const preview = applicant.locator('.device-check video');
		await expect.poll(() => preview.evaluate((video: HTMLVideoElement) => video.videoWidth)).toBeGreaterThan(0);
		const meter = applicant.getByRole('meter', { name: zh('device_level') });
		await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
		await expect(applicant.getByRole('combobox', { name: zh('device_camera') }).locator('option')).not.toHaveCount(0);
		const microphone = applicant.getByRole('combobox', { name: zh('device_microphone') });
		await expect(microphone).toBeEnabled();
		const current = await microphone.inputValue();
		const options = await microphone
			.locator('option')
			.evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
		const other = options.find((id) => id !== current);
		expect(other, 'Chromium’s fake devices offer more than one microphone').toBeDefined();
		await microphone.selectOption(other!);
		// The check opens the chosen microphone, and reads the choice back from the opened track.
		await expect(microphone).toBeEnabled();
		await expect(microphone).toHaveValue(other!);
		await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
	});

	const sessionId = await enterRoom(page, '设备与控件');
	const waiting = page.locator('.people ul.lobby li', { hasText: APPLICANT });
	await test.step('a reload in the lobby puts the party back in the lobby, once', async () => {
		await joinWithDevices(applicant);
		await expect(applicant.locator('section.room[data-space="lobby"]')).toBeVisible();
		await expect(waiting).toHaveCount(1);
		await applicant.reload();
		await joinWithDevices(applicant);
		await expect(applicant.locator('section.room[data-space="lobby"]')).toBeVisible();
		await expect(waiting).toHaveCount(1);
		await waiting.getByRole('button', { name: zh('room_admit') }).click();
		await expectReceiving(page, APPLICANT);
	});

	await test.step('the camera turned off shows the party’s initial to the others; turned on, video again', async () => {
		const camera = applicant.locator('[data-control="camera"]');
		await camera.click();
		await expect(camera).toHaveAttribute('aria-pressed', 'false');
		await expect(tile(page, APPLICANT).locator('video')).toHaveCount(0);
		await expect(tile(page, APPLICANT).locator('.avatar')).toHaveText(APPLICANT.slice(0, 1));
		await camera.click();
		await expect(camera).toHaveAttribute('aria-pressed', 'true');
		await expectReceiving(page, APPLICANT);
	});

	await test.step('a shared screen reaches the others as a tile of its own, and goes when stopped', async () => {
		const screen = applicant.locator('[data-control="screen"]');
		const shown = page.locator('figure.tile[data-source="screen"]', { hasText: APPLICANT });
		await screen.click();
		await expect(screen).toHaveAttribute('aria-pressed', 'true');
		await expect(shown).toBeVisible();
		await expect.poll(async () => Number(await shown.getAttribute('data-video-frames'))).toBeGreaterThan(0);
		await screen.click();
		await expect(screen).toHaveAttribute('aria-pressed', 'false');
		await expect(shown).toHaveCount(0);
	});

	await test.step('leaving tells the party so and takes them out of the room', async () => {
		await applicant.locator('[data-control="leave"]').click();
		await expect(applicant.locator('.exit[data-exit="left"]')).toContainText(zh('room_exit_left'));
		await expect(tile(page, APPLICANT)).toHaveCount(0);
		await expect(page.locator('.people li', { hasText: APPLICANT })).toHaveCount(0);
		const dump = (await (await page.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
		expect(dump.peers.map((p) => p.displayName)).toEqual([MEDIATOR]);
	});
	await applicant.context().close();
});

test('a legal consultation: the mediator asks the case’s expert, who accepts it and runs the room with them', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(180_000);
	const agenda = '噪音赔偿有没有法律依据？';
	await logIn(page, 'mediator', demo.password);
	const caseUrl = await openCase(page);
	await test.step('the mediator invites the expert to the case and asks for a consultation', async () => {
		const invite = page.locator('form[action="?/invite#case-experts"]');
		await invite.getByLabel(zh('case_invite_expert')).selectOption({ label: EXPERT });
		await invite.getByRole('button').click();
		await expect(page.locator('section[aria-labelledby="case-experts"] li', { hasText: EXPERT })).toBeVisible();
		const sessions = page.locator('section[aria-labelledby="case-sessions"]');
		await sessions.locator('summary', { hasText: zh('session_request_consultation') }).click();
		const form = sessions.locator('form[action*="requestConsultation"]');
		await form.getByLabel(zh('session_request_expert')).selectOption({ label: EXPERT });
		await form.getByLabel(zh('session_request_time'), { exact: true }).fill(inAnHour());
		await form.getByLabel(zh('session_request_agenda')).fill(agenda);
		await form.locator('button[type="submit"]').click();
		await expect(sessions.locator('li[data-kind="consultation"]', { hasText: agenda })).toBeVisible();
	});

	const expert = await (await browser.newContext()).newPage();
	await test.step('the expert accepts it on the case page and goes straight into the room, as its host', async () => {
		await logIn(expert, 'expert', demo.password);
		await expert.goto(caseUrl);
		const consultation = expert.locator('li[data-kind="consultation"]', { hasText: agenda });
		await consultation.getByRole('button', { name: zh('session_accept') }).click();
		await consultation.getByRole('link', { name: zh('session_enter_room') }).click();
		await joinWithDevices(expert);
		await expect(expert.locator('section.room[data-space="joint"]')).toBeVisible();
		await expect(expert.locator('[data-control="end"]')).toBeVisible();
	});

	await test.step('the mediator joins them, and each sees and hears the other', async () => {
		// The case page the mediator had open still shows the request as waiting for the expert.
		await page.reload();
		await enterRoom(page, agenda);
		await expect(page.locator('section.room[data-space="joint"]')).toBeVisible();
		await expectReceiving(page, EXPERT);
		await expectReceiving(expert, MEDIATOR);
	});
	await expert.context().close();
});

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

test('a party whose browser refuses camera and microphone is told why and joins listen-only', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(120_000);
	const invitations = await mediatorSchedules(page, demo.password, '只听不说', [APPLICANT]);
	const applicant = await (await browser.newContext()).newPage();
	// As when the person clicked "Block" on the browser's permission prompt.
	await applicant.addInitScript(() => {
		navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
	});
	await enterPin(applicant, invitations[APPLICANT]);
	await expect(applicant.getByRole('alert')).toHaveText(zh('device_denied'));
	await expect(applicant.getByRole('button', { name: zh('device_join'), exact: true })).toHaveCount(0);
	await applicant.getByRole('button', { name: zh('device_join_listen_only') }).click();
	await expect(applicant.locator('section.room[data-space="lobby"]')).toBeVisible();

	const sessionId = await enterRoom(page, '只听不说');
	await page
		.locator('.people ul.lobby li', { hasText: APPLICANT })
		.getByRole('button', { name: zh('room_admit') })
		.click();
	await expectReceiving(applicant, MEDIATOR);
	await expect(tile(page, APPLICANT).getByTitle(zh('room_mic_off'))).toBeVisible();
	const dump = (await (await page.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
	expect(dump.peers.find((p) => p.displayName === APPLICANT)!.producers).toEqual([]);
	await applicant.context().close();
});
