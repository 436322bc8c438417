/**
 * A live mediation in Chromium with fake camera and microphone, for the room specs (room-*.spec.ts).
 * Only they use the 东村 noise case (陈桂芳 v 林志强, accepted, handled by 李明华 of the 东村
 * committee): each schedules a session, the parties join by link and PIN, and the mediator runs the
 * room. They run one at a time, on a Playwright project of their own (playwright.config.ts).
 */
import type { Browser, Page } from '@playwright/test';
import { expect, logIn, zh } from './e2e-test.ts';

export const MEDIATOR = '李明华';
export const APPLICANT = '陈桂芳';
export const RESPONDENT = '林志强';
export const EXPERT = '陈律师';

export type Invitation = { link: string; pin: string };
export type RoomDump = {
	peers: {
		id: string;
		displayName: string;
		space: string;
		producers: { id: string }[];
		consumers: { producerId: string; spatialLayer?: number }[];
	}[];
};

/** The tile of `name`'s camera on `page`. */
export const tile = (page: Page, name: string) => page.locator('figure.tile[data-source="camera"]', { hasText: name });
export const numberOf = async (page: Page, name: string, attribute: string) =>
	Number(await tile(page, name).getAttribute(attribute));

/**
 * What `name`'s tile on `page` has counted: video frames decoded and audio bytes received; nothing
 * unless exactly one tile of theirs shows.
 */
export async function countersOf(page: Page, name: string): Promise<number[]> {
	const counters = await tile(page, name).evaluateAll((tiles) =>
		tiles.map((t) => [Number(t.getAttribute('data-video-frames')), Number(t.getAttribute('data-audio-bytes'))])
	);
	return counters.length === 1 ? counters[0] : [];
}

/**
 * `page` receives `name`'s audio and video: from one look at their tile to the next, more bytes
 * have arrived and more frames were decoded. Looking often finds the moment media starts soon after
 * it does. `after`: the tile's counters (countersOf) before the media was cut (its server died):
 * it must come back on new consumers, whose counts start afresh below those, since the old ones'
 * last figures may still come in after the cut.
 */
export async function expectReceiving(
	page: Page,
	name: string,
	{ timeout = 20_000, after = [] }: { timeout?: number; after?: number[] } = {}
): Promise<void> {
	let afresh = after.length === 0;
	let last: number[] = [];
	await expect
		.poll(
			async () => {
				const now = await countersOf(page, name);
				afresh ||= now.length === 0 || now.some((n, i) => n < after[i]);
				const grew = afresh && now.length > 0 && last.length > 0 && now.every((n, i) => n > last[i]);
				last = now;
				return grew;
			},
			{ timeout, intervals: [250], message: `${name}'s audio and video arriving` }
		)
		.toBe(true);
}

/** Each of `people` (a page and whose it is) receives the audio and video of every other one. */
export async function expectAllReceiving(people: [Page, string][]): Promise<void> {
	await Promise.all(
		people.flatMap(([viewer, self]) =>
			people.filter(([, name]) => name !== self).map(([, name]) => expectReceiving(viewer, name))
		)
	);
}

/**
 * `outsider` (a page and whose it is), left in the joint space while `members` (names) hold a
 * caucus, is shown no one else and receives nothing while the caucus talks on (`meanwhile`); the
 * room's state, asked from the host's `host` page, holds no consumer of theirs on a caucus producer.
 */
export async function expectLeftOut(
	host: Page,
	sessionId: string,
	[outsider, outsiderName]: [Page, string],
	members: string[],
	meanwhile: () => Promise<void>
): Promise<void> {
	await expect(outsider.locator('figure.tile')).toHaveCount(1);
	for (const name of members) await expect(tile(outsider, name)).toHaveCount(0);
	await outsider.waitForTimeout(1000);
	const heardBefore = await inboundBytes(outsider);
	await meanwhile();
	await outsider.waitForTimeout(2000);
	const heardSince = Object.entries(await inboundBytes(outsider)).filter(
		([ssrc, bytes]) => bytes > (heardBefore[ssrc] ?? 0)
	);
	expect(heardSince).toEqual([]);
	const dump = (await (await host.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
	const byName = (name: string) => dump.peers.find((p) => p.displayName === name)!;
	const caucusProducers = members.flatMap((name) => byName(name).producers.map((p) => p.id));
	expect(caucusProducers.length).toBeGreaterThanOrEqual(2 * members.length);
	expect(byName(outsiderName).space).toBe('joint');
	expect(byName(outsiderName).consumers.filter((c) => caucusProducers.includes(c.producerId))).toEqual([]);
}

/** The host on `page` admits `parties` (a page and whose it is) from the lobby into the joint space. */
export async function admitFromLobby(page: Page, parties: [Page, string][]): Promise<void> {
	const lobby = page.locator('.people ul.lobby');
	for (const [, name] of parties) {
		await lobby
			.locator('li', { hasText: name })
			.getByRole('button', { name: zh('room_admit') })
			.click();
	}
	await expect(lobby).toHaveCount(0);
	for (const [party] of parties) await expect(party.locator('section.room[data-space="joint"]')).toBeVisible();
}

export async function joinWithDevices(page: Page): Promise<void> {
	await page.getByRole('button', { name: zh('device_join'), exact: true }).click();
	await expect(page.locator('[data-phase="joined"]')).toBeVisible();
}

/** Keeps every RTCPeerConnection a page makes on `window.peerConnections`, for its WebRTC statistics. */
export function recordPeerConnections(): void {
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
 * The media bytes `page` has received, by incoming stream (SSRC), from its WebRTC statistics
 * (of a page that records its peer connections). mediasoup's bandwidth probe (the `probator`
 * stream, padding only) carries no media: left out.
 */
export const inboundBytes = (page: Page) =>
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

/**
 * Someone invited opens their link in a browser of their own, enters the PIN and joins: with
 * their camera and microphone, or (an observer, who only watches and listens) without a device check.
 */
export async function guest(browser: Browser, invitation: Invitation, { devices = true } = {}): Promise<Page> {
	const context = await browser.newContext();
	await context.addInitScript(recordPeerConnections);
	const page = await context.newPage();
	await enterPin(page, invitation);
	await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\/room$/);
	if (devices) {
		await expect(page.getByRole('heading', { name: zh('device_check_title') })).toBeVisible();
		await joinWithDevices(page);
	} else {
		await expect(page.locator('[data-phase="joined"]')).toBeVisible();
	}
	return page;
}

/** `page` says `text` in the chat of its space and sees it there. */
export async function say(page: Page, text: string): Promise<void> {
	await page.getByLabel(zh('room_chat_input')).fill(text);
	await page.getByRole('button', { name: zh('room_chat_send') }).click();
	await expect(page.locator('.chat li', { hasText: text })).toBeVisible();
}

/** Someone invited opens their link in `page` and enters the PIN; the device check comes next. */
export async function enterPin(page: Page, invitation: Invitation): Promise<void> {
	await page.goto(invitation.link);
	await page.getByLabel(zh('join_pin')).fill(invitation.pin);
	await page.getByRole('button', { name: zh('join_submit') }).click();
}

/** An hour from now, as a datetime-local field takes it (in the browser's time zone, the test's). */
export function inAnHour(): string {
	const soon = new Date(Date.now() + 3_600_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${soon.getFullYear()}-${pad(soon.getMonth() + 1)}-${pad(soon.getDate())}T${pad(soon.getHours())}:${pad(soon.getMinutes())}`;
}

/** The mediator logs in on `page`, opens the case and schedules a mediation inviting `names` (and `observers`). */
export async function mediatorSchedules(
	page: Page,
	password: string,
	title: string,
	names: string[],
	observers: string[] = []
) {
	await logIn(page, 'mediator', password);
	await openCase(page);
	return scheduleSession(page, title, names, observers);
}

/**
 * On the case page open in `page`, schedules a mediation in an hour inviting the parties `names`
 * and the observers named `observers`; returns everyone's invitations.
 */
export async function scheduleSession(
	page: Page,
	title: string,
	names: string[],
	observers: string[] = []
): Promise<Record<string, Invitation>> {
	const sessions = page.locator('section[aria-labelledby="case-sessions"]');
	await sessions.locator('summary', { hasText: zh('session_schedule') }).click();
	const form = sessions.locator('form[action*="scheduleSession"]');
	await form.getByLabel(zh('session_time'), { exact: true }).fill(inAnHour());
	await form.getByLabel(zh('session_title')).fill(title);
	for (const name of names) await form.locator('label.choice', { hasText: name }).locator('input').check();
	await form.getByLabel(zh('session_observers')).fill(observers.join('\n'));
	await form.locator('button[type="submit"]').click();
	const invitations: Record<string, Invitation> = {};
	for (const name of [...names, ...observers]) {
		const shown = sessions.locator(`[data-invitation="${name}"]`);
		invitations[name] = {
			link: await shown.locator('.invitation-link').inputValue(),
			pin: (await shown.locator('.invitation-pin').textContent())!
		};
	}
	return invitations;
}

/** Opens the land case's page and returns its URL. */
export async function openCase(page: Page): Promise<string> {
	await page.goto('/cases');
	await page.getByRole('row').filter({ hasText: APPLICANT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	return page.url();
}

export async function enterRoom(page: Page, title: string): Promise<string> {
	await page
		.locator('section[aria-labelledby="case-sessions"] li[data-session]', { hasText: title })
		.getByRole('link', { name: zh('session_enter_room') })
		.click();
	await joinWithDevices(page);
	return (await page.locator('section.room').getAttribute('data-session'))!;
}
