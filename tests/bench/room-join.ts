/**
 * Join → first remote video frame, in Chromium against the real app: the built SvelteKit
 * handler and Socket.io on one HTTP server, as `npm start` serves them, on a fresh in-memory
 * database. A mediator's page sits in the room sending its fake camera and microphone; each
 * join is a guest's page that clicks the device check's join button, is admitted by the
 * benchmark at once, and waits for the mediator's video.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from '@playwright/test';
import { and, eq, isNotNull } from 'drizzle-orm';
import { publishApp, type App } from '#server/app.ts';
import { createSession, SESSION_COOKIE } from '#server/auth/sessions.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { caseParties, sessionParticipants } from '#server/db/schema.ts';
import { joinByInvitation } from '#server/sessions/join-by-invitation.ts';
import { JOIN_COOKIE } from '#server/sessions/participant-of.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import playwrightConfig from '../../playwright.config.ts';
import { intakeForm, setUpNetwork, type Network } from '../support/case-network.ts';
import { text } from '../support/e2e-messages.ts';
import { acknowledgeNoticeForAll } from '../support/notice.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** Joins timed; each guest joins JOINS / GUESTS times, leaving in between. */
export const JOINS = 20;
/** One applicant and nine respondents: a case has at most ten respondents. */
export const GUESTS = 10;
const FRAME_TIMEOUT_MS = 30_000;
/** What the guest's page calls to be admitted. */
const ADMIT_BINDING = '__benchAdmit';
const CLIENT = { ip: '127.0.0.1', userAgent: 'room-bench' };
/** As server/index.ts: without ORIGIN, adapter-node learns from this header that it serves plain HTTP. */
const PROTOCOL_HEADER = 'x-tiaojie-protocol';

/** Page times of one join, in ms after the click on the join button; undefined when the page skipped that state. */
export type JoinTiming = {
	/** The page shows the lobby: connected, `room:join` answered, device loaded. */
	lobby: number | undefined;
	/** The page shows the joint space: admitted, with the snapshot that lists the mediator's producers. */
	joint: number | undefined;
	/** The page sends its first `room:produce` (its transports are made by then). */
	produce: number | undefined;
	/** The page sends its first `room:consume`. */
	consume: number | undefined;
	/** The mediator's camera tile holds a <video>: transports made, own media produced, consumer created. */
	video: number;
	/** requestVideoFrameCallback's first call for that video: the first decoded frame is being painted. */
	frame: number;
};

export type JoinResult = {
	warmUp: JoinTiming;
	joins: JoinTiming[];
	chromium: string;
	/** What Chromium reports of the mediator's video as the guest receives it. */
	received: { width: number; height: number; srtpCipher: string } | null;
};

/** What the page notes, in ms on its own clock (performance.now). */
type Marks = Partial<Record<'click' | 'lobby' | 'joint' | 'produce' | 'consume' | 'video' | 'frame', number>>;

export async function benchJoins(): Promise<JoinResult> {
	// The benchmark serves the production build, so it must be current.
	execFileSync(process.execPath, ['server/cli/ensure-build.ts'], { stdio: 'inherit' });
	const app = await createTestApp({ LOG_LEVEL: 'warn' });
	const { server, url } = await serve(app);
	const browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
	try {
		const seeded = await seed(app);
		const mediator = await mediatorInRoom(browser, url, seeded);
		const room = (await app.rooms.find(seeded.sessionId))!;
		const { mediatorId } = seeded;
		// Guests should find the mediator's microphone and camera already there.
		while (room.dump().peers[0].producers.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
		// The Room call `room:admit` makes, without the mediator's socket round trip.
		const admit = () => {
			for (const peer of room.dump().peers) if (peer.space === 'lobby') room.admit(mediatorId, peer.id);
		};
		const join = (i: number) =>
			timeJoin(browser, {
				url,
				sessionId: seeded.sessionId,
				mediatorId,
				joinToken: seeded.joinTokens[i % GUESTS],
				admit,
				readStats: true
			});
		const { timing: warmUp } = await join(0);
		const joins: JoinTiming[] = [];
		let received: JoinResult['received'] = null;
		for (let i = 0; i < JOINS; i++) {
			const { timing, stats } = await join(i + 1);
			joins.push(timing);
			received = stats;
			console.log(`  join ${i + 1}: first frame ${timing.frame.toFixed(0)} ms after the click`);
		}
		await mediator.context().close();
		return { warmUp, joins, chromium: browser.version(), received };
	} finally {
		await browser.close();
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
		publishApp(undefined);
		await app.dispose();
	}
}

/** The app as server/index.ts serves it, on a free port of 127.0.0.1. */
async function serve(app: TestApp): Promise<{ server: Server; url: string }> {
	// adapter-node reads this when its handler loads (once per process, as for `npm start`).
	process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
	const handlerModule = new URL('../../build/handler.js', import.meta.url).href;
	const { handler } = (await import(handlerModule)) as { handler: RequestListener };
	publishApp(app);
	const server = createServer((req, res) => {
		req.headers[PROTOCOL_HEADER] = 'http';
		handler(req, res);
	});
	app.realtime.attach(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The guests' join tokens and their peer ids (their participants' ids) in the same order; the mediator's peer id. */
export type Seeded = {
	sessionId: string;
	mediatorCookie: string;
	mediatorId: string;
	joinTokens: string[];
	guestIds: string[];
};

/** A town, and in it seedSession's mediation. */
export async function seed(app: App, guests = GUESTS): Promise<Seeded> {
	return seedSession(app, await setUpNetwork(app), guests);
}

/**
 * In the town's 东村, an accepted case with `guests` parties who acknowledged the notice, and a
 * mediation in ten minutes with all of them invited and joined by PIN.
 */
export async function seedSession(app: App, network: Network, guests = GUESTS): Promise<Seeded> {
	const respondents = Array.from({ length: guests - 1 }, (_, i) => ({
		name: `被申请人${i + 1}`,
		phone: `1390013${String(9000 + i)}`
	}));
	const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id, { respondents }), [], null);
	const mediator = network.eastMediator;
	await transitionCase(app, mediator, { caseId, transition: 'accept', consent: 'on' }, null);
	// The room lets parties into the joint space only once they acknowledged the rights and duties notice.
	await acknowledgeNoticeForAll(app, caseId);
	const parties = await app.db.select().from(caseParties).where(eq(caseParties.caseId, caseId));
	const { sessionId, invitations } = await scheduleSession(
		app,
		mediator,
		{
			caseId,
			kind: 'mediation',
			scheduledFor: new Date(Date.now() + 10 * 60_000).toISOString().slice(0, 16),
			utcOffset: '0',
			partyIds: parties.map((party) => party.id)
		},
		null
	);
	const joinTokens: string[] = [];
	for (const invitation of invitations) {
		const outcome = await joinByInvitation(app, invitation.token, { pin: invitation.pin }, CLIENT);
		if (!outcome.joined) throw new Error(`invitation not joined: ${outcome.state}`);
		joinTokens.push(outcome.joinToken);
	}
	const [{ id: mediatorId }] = await app.db
		.select({ id: sessionParticipants.id })
		.from(sessionParticipants)
		.where(and(eq(sessionParticipants.sessionId, sessionId), isNotNull(sessionParticipants.userId)));
	// The network's accounts have no password: a log-in session is made for the mediator directly.
	const { token } = await createSession(app.db, mediator.id, CLIENT, app.config.sessionDays);
	const guestIds = invitations.map((invitation) => invitation.participantId);
	return { sessionId, mediatorCookie: token, mediatorId, joinTokens, guestIds };
}

/** The mediator's page, joined: in the joint space, its own camera showing. */
export async function mediatorInRoom(
	browser: Browser,
	url: string,
	seeded: Pick<Seeded, 'sessionId' | 'mediatorCookie'>
): Promise<Page> {
	const context = await browser.newContext({ locale: 'zh-CN' });
	await context.addCookies([{ name: SESSION_COOKIE, value: seeded.mediatorCookie, url }]);
	const page = await context.newPage();
	await page.goto(`${url}/sessions/${seeded.sessionId}/room`);
	await joinButton(page).click();
	await page.locator('section.room[data-space="joint"]').waitFor();
	await page.locator('figure.tile[data-source="camera"] video').waitFor();
	return page;
}

export const joinButton = (page: Page) => page.getByRole('button', { name: text('zh-CN', 'device_join'), exact: true });

/** The host's 请进 button by someone waiting in the lobby. */
export const admitButton = (page: Page, peerId: string) =>
	page.locator(`li[data-peer="${peerId}"]`).getByRole('button', { name: text('zh-CN', 'room_admit'), exact: true });

/** One guest's join: to the room page at `url`, admitted by `admit`, watching the mediator's video. */
export type GuestJoin = {
	url: string;
	sessionId: string;
	mediatorId: string;
	joinToken: string;
	/** Lets the guest in: called the moment its page shows the lobby. */
	admit: () => unknown;
	/** Read the page's receiving statistics a second after the first frame (else `stats` is null). */
	readStats?: boolean;
};

/**
 * One guest's join in a browser context of its own (no cookies but the join, an empty cache):
 * the room page loads, its device check opens the fake devices, then the click is timed to the
 * first frame of the mediator's video. A second later the page's receiving statistics are read,
 * if asked. The guest leaves with the room's leave button, so that the next join of the same guest
 * starts in the lobby again.
 */
export async function timeJoin(
	browser: Browser,
	{ url, sessionId, mediatorId, joinToken, admit, readStats = false }: GuestJoin
): Promise<{ timing: JoinTiming; stats: JoinResult['received'] }> {
	const context = await browser.newContext({ locale: 'zh-CN' });
	try {
		await context.addCookies([{ name: JOIN_COOKIE, value: joinToken, url }]);
		// The page calls this the moment it shows the lobby. Not earlier, on the room's peerJoined: an admit
		// that reaches the page while it is still loading its mediasoup Device is undone by the join reply's
		// older snapshot, and the guest stays in the lobby.
		await context.exposeFunction(ADMIT_BINDING, admit);
		await context.addInitScript(instrument, {
			mediatorId,
			joinText: text('zh-CN', 'device_join'),
			admitBinding: ADMIT_BINDING
		});
		const page = await context.newPage();
		await page.goto(`${url}/sessions/${sessionId}/room`);
		await joinButton(page).click();
		const marks = await page
			.waitForFunction(() => (window as BenchWindow).__joinMarks.frame !== undefined, null, {
				timeout: FRAME_TIMEOUT_MS
			})
			.then(() => page.evaluate(() => (window as BenchWindow).__joinMarks))
			.catch(async (error: Error) => {
				const state = await page.locator('section.room').evaluate((el) => `${el.dataset.phase}/${el.dataset.space}`);
				const seen = await page.evaluate(() => JSON.stringify((window as BenchWindow).__joinMarks));
				throw new Error(`no frame: the room is ${state}, the page saw ${seen}`, { cause: error });
			});
		let stats: JoinResult['received'] = null;
		if (readStats) {
			await page.waitForTimeout(1000);
			stats = await page.evaluate(receivingStats);
		}
		await page.locator('[data-control="leave"]').click();
		await page.locator('[data-phase="exited"]').waitFor();
		const after = (mark: number | undefined) => (mark === undefined ? undefined : mark - marks.click!);
		return {
			timing: {
				lobby: after(marks.lobby),
				joint: after(marks.joint),
				produce: after(marks.produce),
				consume: after(marks.consume),
				video: after(marks.video)!,
				frame: after(marks.frame)!
			},
			stats
		};
	} finally {
		await context.close();
	}
}

/** The page's window with what `instrument` keeps on it. */
type BenchWindow = Window & typeof globalThis & { __joinMarks: Marks; __peerConnections: RTCPeerConnection[] };

/**
 * Runs in the page before its own scripts: notes when the join button is clicked, when the
 * room shows the lobby and the joint space, when the client first asks to produce and to
 * consume, when the mediator's camera tile gets its <video>, and when that video's first frame
 * is painted (requestVideoFrameCallback).
 */
function instrument({
	mediatorId,
	joinText,
	admitBinding
}: {
	mediatorId: string;
	joinText: string;
	admitBinding: string;
}): void {
	const win = window as BenchWindow;
	const marks: Marks = (win.__joinMarks = {});
	// Keeps mediasoup-client's peer connections, for their statistics.
	const peerConnections: RTCPeerConnection[] = (win.__peerConnections = []);
	const Native = win.RTCPeerConnection;
	win.RTCPeerConnection = class extends Native {
		constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
			super(...args);
			peerConnections.push(this);
		}
	};
	const now = () => performance.now();
	// Socket.io sends each command as a text frame that starts with its event name: `42<ack>["room:consume",…`.
	const send = WebSocket.prototype.send;
	WebSocket.prototype.send = function (this: WebSocket, data) {
		if (typeof data === 'string' && data.includes('["room:produce"')) marks.produce ??= now();
		if (typeof data === 'string' && data.includes('["room:consume"')) marks.consume ??= now();
		return send.call(this, data);
	};
	document.addEventListener(
		'click',
		(event) => {
			const button = event.target instanceof Element ? event.target.closest('button') : null;
			if (button?.textContent?.trim() === joinText) marks.click ??= now();
		},
		true
	);
	const watched = new WeakSet<HTMLVideoElement>();
	new MutationObserver(() => {
		const space = document.querySelector('section.room')?.getAttribute('data-space');
		if (space === 'lobby' && marks.lobby === undefined) {
			marks.lobby = now();
			void (win as unknown as Record<string, () => Promise<void>>)[admitBinding]();
		}
		if (space === 'joint') marks.joint ??= now();
		const video = document.querySelector<HTMLVideoElement>(
			`figure.tile[data-peer="${mediatorId}"][data-source="camera"] video`
		);
		if (!video || watched.has(video)) return;
		watched.add(video);
		marks.video ??= now();
		// The callback's first argument is the time of the paint that shows the frame.
		video.requestVideoFrameCallback((paint) => (marks.frame ??= paint));
	}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-space'] });
}

/** The size of the video received and the SRTP cipher the transport negotiated, from the page's peer connections. */
async function receivingStats(): Promise<JoinResult['received']> {
	const found = { width: 0, height: 0, srtpCipher: '' };
	for (const pc of (window as BenchWindow).__peerConnections) {
		if (pc.connectionState === 'closed') continue;
		(await pc.getStats()).forEach((entry) => {
			if (entry.type === 'inbound-rtp' && entry.kind === 'video') {
				found.width = entry.frameWidth ?? found.width;
				found.height = entry.frameHeight ?? found.height;
			}
			if (entry.type === 'transport' && entry.srtpCipher) found.srtpCipher = entry.srtpCipher;
		});
	}
	return found;
}
