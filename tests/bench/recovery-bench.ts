/**
 * Recovery times, in Chromium against the production entry (`node server/index.ts` in a process of
 * its own, on embedded PGlite in a temp DATA_DIR: the default installation). A mediator and two
 * parties sit in the joint space, each page receiving the other two's video; then a mediasoup
 * worker is killed, a party's network drops for a few seconds, or the app is killed and started
 * again, and the time runs until every page decodes new frames from every other page.
 * `npm run bench -- --only recovery` runs this alone.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { chromium, type Browser, type Page } from '@playwright/test';
import { SESSION_COOKIE } from '#server/auth/sessions.ts';
import { JOIN_COOKIE } from '#server/sessions/participant-of.ts';
import playwrightConfig from '../../playwright.config.ts';
import {
	freePort,
	kill,
	mediaWorkerPid,
	serverStorage,
	startServer,
	withApp,
	type ServerProcess,
	type ServerStorage
} from '../support/server-process.ts';
import { ms, percentile, table } from './room-bench.ts';
import { admitButton, joinButton, seed, type Seeded } from './room-join.ts';

export const recoverySectionTitle = 'Recovery: worker crash, network blip, app restart';

/** Each incident is repeated this many times. */
const RUNS = 3;
const BLIP_MS = 5_000;
/** How long a page may take to recover before the bench reports it as not recovered. */
export const RECOVERY_TIMEOUT_MS = 45_000;
/** Frames further apart than this mean the stream was interrupted; the next one is new. */
export const GAP_MS = 1_500;
/** Between incidents, every stream must have painted a frame this recently. */
const FLOWING_MS = 2_000;

/** Who sits in the room: the mediator and the two parties. */
export type Person = { name: 'mediator' | 'applicant' | 'respondent'; peerId: string; page: Page };

/** What `instrument` keeps on the page, times in ms since the epoch. */
type Watch = {
	/** The last frame painted of each remote peer's camera. */
	last: Record<string, number>;
	/** Frames that began a stream again: the first of a new track, or the first after a gap. */
	resumes: Record<string, number[]>;
	/** The room's `phase/space` each time it changed. */
	states: { at: number; state: string }[];
};
type WatchWindow = Window & typeof globalThis & { __recovery: Watch };

/** One run of an incident: each phase's time in ms after its start, or why it did not come. */
type Run = { phases: Record<string, number | undefined>; findings: string[] };

type Scenario = { label: string; before: Record<string, string>; runs: Run[] };

export async function benchRecovery(): Promise<string> {
	const started = performance.now();
	execFileSync(process.execPath, ['server/cli/ensure-build.ts'], { stdio: 'inherit' });
	const storage = await serverStorage('pglite', 'recovery_bench');
	const browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
	const port = await freePort();
	let server: ServerProcess | undefined;
	try {
		const seeded = await withApp(storage, (app) => seed(app, 2));
		server = await startServer(storage, { port });
		const people = await seatThree(browser, server.base, seeded);
		const [, ...parties] = people;

		const scenarios: Scenario[] = [
			{ label: 'mediasoup worker killed (SIGKILL)', before: { frames: '~1 s' }, runs: [] },
			{ label: `the applicant offline for ${BLIP_MS / 1000} s`, before: { frames: '~3 s' }, runs: [] },
			{
				label: 'the app killed (SIGKILL) and started again at once',
				before: { healthz: '3–4 s', back: '7–8 s', frames: '~9.5 s' },
				runs: []
			}
		];
		const [crash, blip, restart] = scenarios;
		const repeat = async (scenario: Scenario, incident: () => Promise<Run>) => {
			for (let i = 0; i < RUNS; i++) {
				const run = await incident();
				scenario.runs.push(run);
				console.log(`  ${scenario.label}, run ${i + 1}:`, run.phases, run.findings);
				// A room that did not recover is the finding: the next runs would measure nothing.
				const stale = await staleStreams(people);
				if (stale.length) {
					run.findings.push(`video did not flow again everywhere: ${stale.join(', ')}`);
					return;
				}
			}
		};
		await repeat(crash, () => workerCrash(server!, people));
		await repeat(blip, () => networkBlip(parties[0], people));
		await repeat(restart, async () => {
			const run = await appRestart(server!, storage, port, people);
			server = run.server;
			return run;
		});
		return section(scenarios, browser.version(), (performance.now() - started) / 60_000);
	} finally {
		await browser.close();
		if (server) await kill(server);
		await storage.remove();
	}
}

/**
 * The mediator of `seeded` and its first two parties, each in a page of their own at `url` that
 * follows the remote cameras, all in the joint space (the mediator admits the parties with the
 * lobby's 请进 button), each receiving the other two's video. `opening` is called before each
 * page opens (to choose where its connections go).
 */
export async function seatThree(
	browser: Browser,
	url: string,
	seeded: Seeded,
	opening: (name: Person['name']) => void = () => {}
): Promise<Person[]> {
	const open = async (name: Person['name'], cookie: { name: string; value: string }, peerId: string) => {
		opening(name);
		const context = await browser.newContext({ locale: 'zh-CN' });
		await context.addCookies([{ ...cookie, url }]);
		await context.addInitScript(instrument, GAP_MS);
		const page = await context.newPage();
		await enterRoom(page, `${url}/sessions/${seeded.sessionId}/room`);
		return { name, peerId, page };
	};
	const mediator = await open('mediator', { name: SESSION_COOKIE, value: seeded.mediatorCookie }, seeded.mediatorId);
	const parties = [
		await open('applicant', { name: JOIN_COOKIE, value: seeded.joinTokens[0] }, seeded.guestIds[0]),
		await open('respondent', { name: JOIN_COOKIE, value: seeded.joinTokens[1] }, seeded.guestIds[1])
	];
	for (const party of parties) {
		await admitButton(mediator.page, party.peerId).click({ timeout: 60_000 });
		await party.page.locator('section.room[data-space="joint"]').waitFor({ timeout: 60_000 });
	}
	const people = [mediator, ...parties];
	// The first video of three pages takes long on a busy machine.
	const stale = await staleStreams(people, 3 * RECOVERY_TIMEOUT_MS);
	if (stale.length) throw new Error(`video does not flow: ${stale.join(', ')}`);
	return people;
}

/** Opens the room page and clicks the device check's join button: the page is in the room (or its lobby). */
async function enterRoom(page: Page, room: string): Promise<void> {
	await page.goto(room);
	await joinButton(page).click();
	await page.locator('section.room[data-phase="joined"]').waitFor({ timeout: 60_000 });
}

/** SIGKILL of the server's mediasoup worker (its child process); the pool replaces it and rebuilds the room. */
async function workerCrash(server: ServerProcess, people: Person[]): Promise<Run> {
	const killedAt = Date.now();
	process.kill(mediaWorkerPid(server), 'SIGKILL');
	const frames = await framesAgain(people, people, killedAt);
	return { phases: { frames: frames.at }, findings: frames.findings };
}

/** The party's browser goes offline, then back; timed from back online to frames both ways. */
async function networkBlip(party: Person, people: Person[]): Promise<Run> {
	const offlineAt = Date.now();
	await party.page.context().setOffline(true);
	await new Promise((resolve) => setTimeout(resolve, BLIP_MS));
	await party.page.context().setOffline(false);
	const onlineAt = Date.now();
	const frames = await framesAgain(people, [party], offlineAt);
	return {
		phases: { frames: frames.at === undefined ? undefined : frames.at + offlineAt - onlineAt },
		findings: frames.findings
	};
}

/** SIGKILL of the app, started again on the same data and port; every page must return to its space. */
async function appRestart(
	server: ServerProcess,
	storage: ServerStorage,
	port: number,
	people: Person[]
): Promise<Run & { server: ServerProcess }> {
	const killedAt = Date.now();
	await kill(server);
	const restarted = await startServer(storage, { port });
	const healthz = Date.now() - killedAt;
	const back = await backInSpace(people, killedAt);
	const frames = await framesAgain(people, people, killedAt);
	return {
		server: restarted,
		phases: { healthz, back: back.at, frames: frames.at },
		findings: [...back.findings, ...frames.findings]
	};
}

export const watchOf = (page: Page) => page.evaluate(() => (window as WatchWindow).__recovery);
const roomState = (page: Page) =>
	page.locator('section.room').evaluate((el) => `${el.dataset.phase}/${el.dataset.space}`);

/** Waits until every stream between `people` painted a frame within the last FLOWING_MS; returns those that did not. */
async function staleStreams(people: Person[], timeoutMs = RECOVERY_TIMEOUT_MS): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const stale: string[] = [];
		for (const viewer of people) {
			const { last } = await watchOf(viewer.page);
			for (const sender of people) {
				if (sender !== viewer && !(Date.now() - (last[sender.peerId] ?? 0) < FLOWING_MS)) {
					const age =
						last[sender.peerId] === undefined ? 'never' : `${Math.round(Date.now() - last[sender.peerId])} ms ago`;
					stale.push(`${viewer.name} ← ${sender.name} (last frame ${age}, room ${await roomState(viewer.page)})`);
				}
			}
		}
		if (!stale.length || Date.now() > deadline) return stale;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/**
 * The time after `since` by which every stream to or from one of `involved` began again (its last
 * resume), or, when one did not within the timeout, which and in what state its viewer was.
 */
export async function framesAgain(
	people: Person[],
	involved: Person[],
	since: number
): Promise<{ at: number | undefined; findings: string[] }> {
	const streams = people.flatMap((viewer) =>
		people
			.filter((sender) => sender !== viewer && (involved.includes(viewer) || involved.includes(sender)))
			.map((sender) => ({ viewer, sender }))
	);
	const deadline = since + RECOVERY_TIMEOUT_MS;
	for (;;) {
		const resumed: (number | undefined)[] = [];
		for (const { viewer, sender } of streams) {
			const { resumes } = await watchOf(viewer.page);
			resumed.push(resumes[sender.peerId]?.find((at) => at > since));
		}
		if (resumed.every((at) => at !== undefined)) return { at: Math.max(...resumed) - since, findings: [] };
		if (Date.now() > deadline) {
			const findings: string[] = [];
			for (const [i, { viewer, sender }] of streams.entries()) {
				if (resumed[i] !== undefined) continue;
				const { last } = await watchOf(viewer.page);
				const lastFrame = last[sender.peerId];
				findings.push(
					`${viewer.name} had no new frame of ${sender.name}'s camera ${RECOVERY_TIMEOUT_MS / 1000} s after the incident (its room ${await roomState(viewer.page)}; ${lastFrame === undefined ? 'never a frame' : `last frame ${Math.round(lastFrame - since)} ms after the incident`})`
				);
			}
			return { at: undefined, findings };
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/**
 * The time after `since` by which every page was back in the joint space (after having left
 * `joined`), or which page was not, and whether one was sent to the lobby.
 */
async function backInSpace(people: Person[], since: number): Promise<{ at: number | undefined; findings: string[] }> {
	const deadline = since + RECOVERY_TIMEOUT_MS;
	for (;;) {
		const back: (number | undefined)[] = [];
		const findings: string[] = [];
		for (const person of people) {
			const states = (await watchOf(person.page)).states.filter((s) => s.at > since);
			const left = states.findIndex((s) => s.state !== 'joined/joint');
			back.push(left === -1 ? undefined : states.slice(left).find((s) => s.state === 'joined/joint')?.at);
			const lobby = states.find((s) => s.state.endsWith('/lobby'));
			if (lobby) findings.push(`${person.name}'s page was sent to the lobby ${lobby.at - since} ms after the kill`);
		}
		if (back.every((at) => at !== undefined)) return { at: Math.max(...back) - since, findings };
		if (Date.now() > deadline) {
			for (const [i, person] of people.entries()) {
				if (back[i] === undefined) {
					findings.push(
						`${person.name}'s page was not back in the joint space ${RECOVERY_TIMEOUT_MS / 1000} s after the kill (its room ${await roomState(person.page)})`
					);
				}
			}
			return { at: undefined, findings };
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/**
 * Runs in each page before its own scripts: follows every remote camera's frames
 * (requestVideoFrameCallback on each tile's <video>, times of the paints), noting which frames
 * begin a stream again, and the room's phase and space as they change.
 */
function instrument(gapMs: number): void {
	const watch: Watch = ((window as WatchWindow).__recovery = { last: {}, resumes: {}, states: [] });
	const epoch = (now: number) => performance.timeOrigin + now;
	const tracks: Record<string, string> = {};
	const watched = new WeakSet<HTMLVideoElement>();
	const follow = (video: HTMLVideoElement) => {
		const onFrame = (paint: number) => {
			const peer = video.closest<HTMLElement>('figure.tile')?.dataset.peer;
			const track = (video.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id;
			if (peer && track && !video.classList.contains('mirrored')) {
				const at = epoch(paint);
				if (tracks[peer] !== track || at - (watch.last[peer] ?? 0) > gapMs) {
					// Only the latest few are needed: the list stays short however long the page runs.
					watch.resumes[peer] = [...(watch.resumes[peer] ?? []), at].slice(-20);
				}
				tracks[peer] = track;
				watch.last[peer] = at;
			}
			video.requestVideoFrameCallback(onFrame);
		};
		video.requestVideoFrameCallback(onFrame);
	};
	new MutationObserver(() => {
		const room = document.querySelector<HTMLElement>('section.room');
		const state = room ? `${room.dataset.phase}/${room.dataset.space}` : '';
		if (state !== watch.states.at(-1)?.state) {
			watch.states = [...watch.states, { at: epoch(performance.now()), state }].slice(-50);
		}
		for (const video of document.querySelectorAll<HTMLVideoElement>('figure.tile[data-source="camera"] video')) {
			if (watched.has(video)) continue;
			watched.add(video);
			follow(video);
		}
	}).observe(document, {
		subtree: true,
		childList: true,
		attributes: true,
		attributeFilter: ['data-phase', 'data-space']
	});
}

const PHASES: Record<string, string> = {
	healthz: '`/healthz` answers 200',
	back: 'every page back in the joint space (not the lobby)',
	frames: '**every page decodes new frames from every other page**'
};

function section(scenarios: Scenario[], chromiumVersion: string, minutes: number): string {
	const rows = scenarios.flatMap((scenario) =>
		Object.keys(scenario.before).map((phase) => {
			const times = scenario.runs.map((run) => run.phases[phase]).filter((t): t is number => t !== undefined);
			return [
				scenario.label,
				PHASES[phase],
				`${times.length}/${scenario.runs.length}`,
				times.length ? ms(percentile(times, 50)) : '—',
				times.length ? ms(Math.max(...times)) : '—',
				scenario.before[phase]
			];
		})
	);
	const runs = scenarios.map(
		(scenario) =>
			`${scenario.label}: ${scenario.runs.map((run) => Object.values(run.phases).map(ms).join(' / ')).join('; ')}`
	);
	const findings = scenarios.flatMap((scenario) =>
		scenario.runs.flatMap((run, i) => run.findings.map((finding) => `- ${scenario.label}, run ${i + 1}: ${finding}`))
	);
	return [
		`Reproduce: \`npm run bench -- --only recovery\` (${minutes.toFixed(1)} min this time; load average ${loadavg()[0].toFixed(1)} when it ended). The production entry (\`node server/index.ts\`, one mediasoup worker) in a child process on embedded PGlite in a temp \`DATA_DIR\`, as \`npm start\` runs it, seeded before it starts: a mediation with two parties invited and joined by PIN. Three pages in headless Chromium ${chromiumVersion} with fake camera and microphone (the flags of playwright.config.ts): the mediator, who admits the two parties with the lobby's 请进 button, and the parties, all in the joint space, each receiving the other two's video. Each page follows every remote camera with \`requestVideoFrameCallback\`; a frame of a new track, or the first after ${GAP_MS} ms without one, begins the stream again. Each incident runs ${RUNS} times, with video flowing everywhere before each: **worker crash**, SIGKILL of the server's mediasoup worker (its child process), timed from the kill; **network blip**, the applicant's browser context offline for ${BLIP_MS / 1000} s (\`context.setOffline\`), timed from back online until the applicant sees both others and both see the applicant; **app restart**, SIGKILL of the server, started again at once on the same data and port, timed from the kill. _Before_ is what issue 21 measured before people's places were kept in \`room_places\` and pages retried sooner. The load averages include the bench's own pages and server; on a busier machine these times grow.`,
		table(['Incident', 'Until', 'Recovered', 'p50 ms', 'max ms', 'Before'], rows),
		`Each run, in ms (${Object.keys(PHASES).join(' / ')} where measured): ${runs.join('. ')}.`,
		findings.length
			? `Not recovered, or not as it should:\n\n${findings.join('\n')}`
			: 'Every run recovered; no page was sent to the lobby.'
	].join('\n\n');
}
