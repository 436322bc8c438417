/**
 * Rooms across app processes (issue 19): what it costs when people's sockets are on another
 * process than their room's owner, against all on the owner, in two app processes of one cluster
 * on one machine: join → first remote video frame (cluster-joins.ts), the owner's mediasoup worker
 * CPU per consumer (cluster-forwarding.ts), and failover when the owner is killed
 * (cluster-failover.ts). `npm run bench -- --only cluster` runs this alone.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { version as mediasoupVersion } from 'mediasoup';
import playwrightConfig from '../../playwright.config.ts';
import { setUpNetwork } from '../support/case-network.ts';
import { kill, serverStorage, withApp, type ServerProcess } from '../support/server-process.ts';
import { benchFailover, type FailoverRun, type PageRecovery } from './cluster-failover.ts';
import {
	benchClusterForwarding,
	FORWARDING_ROOMS,
	type ClusterForwarding,
	type ClusterForwardingStep,
	type RoundTrips
} from './cluster-forwarding.ts';
import { benchClusterJoins, CLUSTER_JOINS, type ClusterJoins, type Way } from './cluster-joins.ts';
import { APP_PORTS, BALANCER_PORT, REDIS_URL, startApp } from './cluster-processes.ts';
import { GAP_MS, RECOVERY_TIMEOUT_MS } from './recovery-bench.ts';
import { JOIN_PHASES, ms, pct, percentile, sideBySide, slope, table } from './room-bench.ts';
import { GUESTS, seedSession } from './room-join.ts';
import { DELIVERY_TOLERANCE, SETTLE_MS, SPEAKER, WINDOW_MS } from './room-load.ts';
import { packetsPerSecond } from './rtp-feed.ts';

export const clusterSectionTitle = 'Rooms across processes: join, forwarding and failover in a cluster';

const JOIN_TARGET = 1.2;
const CPU_TARGET = 1.3;
const FAILOVER_RUNS = 4;

/** Each part of a run: how long it took, and the machine's 1-minute load average sampled every 5 s during it. */
type Parts = Record<'setup' | 'joins' | 'forwarding' | 'failover', { minutes: number; loads: number[] }>;

export async function benchCluster(): Promise<string> {
	const parts: Parts = {
		setup: { minutes: 0, loads: [loadavg()[0]] },
		joins: { minutes: 0, loads: [] },
		forwarding: { minutes: 0, loads: [] },
		failover: { minutes: 0, loads: [] }
	};
	let part: keyof Parts = 'setup';
	let since = performance.now();
	/** Ends the part that runs, and begins `next` if given. */
	const endPart = (next?: keyof Parts) => {
		parts[part].minutes = (performance.now() - since) / 60_000;
		if (next) [part, since] = [next, performance.now()];
	};
	const sampler = setInterval(() => parts[part].loads.push(loadavg()[0]), 5_000);
	// The processes serve the production build, so it must be current.
	execFileSync(process.execPath, ['server/cli/ensure-build.ts'], { stdio: 'inherit' });
	const storage = await serverStorage('postgres', 'cluster_bench');
	const browser = await chromium.launch({ ...playwrightConfig.use?.launchOptions, headless: true });
	try {
		const seeded = await withApp(storage, async (app) => {
			const network = await setUpNetwork(app);
			const sessions = async (n: number, guests: number) => {
				const all = [];
				for (let i = 0; i < n; i++) all.push(await seedSession(app, network, guests));
				return all;
			};
			const [joins] = await sessions(1, GUESTS);
			const forwarding = { one: await sessions(FORWARDING_ROOMS, 10), across: await sessions(FORWARDING_ROOMS, 10) };
			return { joins, forwarding, failover: await sessions(FAILOVER_RUNS, 2) };
		});
		const apps: ServerProcess[] = [];
		let joins: ClusterJoins;
		let forwarding: ClusterForwarding;
		try {
			for (const index of [0, 1]) apps.push(await startApp(storage, index));
			console.log('join → first remote video frame: guest on the owner, or on the other process');
			endPart('joins');
			joins = await benchClusterJoins(browser, apps, seeded.joins);
			endPart('forwarding');
			console.log('worker CPU per consumer: sockets on the owner, or on the other process');
			forwarding = await benchClusterForwarding(apps, seeded.forwarding);
		} finally {
			for (const app of apps) await kill(app);
		}
		endPart('failover');
		console.log('failover: the owner killed');
		const failover = await benchFailover(browser, storage, seeded.failover);
		endPart();
		clearInterval(sampler);
		return section({ joins, forwarding, failover, parts, chromium: browser.version() });
	} finally {
		clearInterval(sampler);
		await browser.close();
		await storage.remove();
	}
}

type Results = {
	joins: ClusterJoins;
	forwarding: ClusterForwarding;
	failover: FailoverRun[];
	parts: Parts;
	chromium: string;
};

const range = (values: number[]) =>
	values.length ? `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}` : '—';
const verdict = (ratio: number, target: number) => `target ≤ ${target}× ${ratio <= target ? '✓' : '✗'}`;

function section({ joins, forwarding, failover, parts, chromium }: Results): string {
	const minutes = Object.values(parts).reduce((total, { minutes }) => total + minutes, 0);
	const took = ({ minutes }: Parts[keyof Parts]) => minutes.toFixed(1);
	const load = ({ loads }: Parts[keyof Parts]) => range(loads);
	return [
		`Reproduce: \`npm run bench -- --only cluster\` (${minutes.toFixed(1)} min this time: ${took(parts.setup)} setting up, ${took(parts.joins)} joining, ${took(parts.forwarding)} forwarding, ${took(parts.failover)} failing over). Two app processes (\`node server/index.ts\` each, as \`npm start\` runs it, with \`MEDIA_WORKERS=1\`) on ports ${APP_PORTS.join(' and ')} of one machine, on one fresh PostgreSQL database and the machine's Redis (\`REDIS_URL=${REDIS_URL}\`); headless Chromium ${chromium} with fake camera and microphone (the flags of playwright.config.ts); mediasoup ${mediasoupVersion}. The machine is shared with other people's work: its 1-minute load average, sampled every 5 s, was ${load(parts.setup)} setting up, ${load(parts.joins)} during the joins, ${load(parts.forwarding)} during the forwarding and ${load(parts.failover)} during the failovers (the bench's own processes and pages included).`,
		joinSection(joins, forwardingCost(forwarding.roundTrips)),
		forwardingSection(forwarding),
		failoverSection(failover)
	].join('\n\n');
}

/** What forwarding adds to a command's round trip: the median over the commands of the difference of their medians. */
function forwardingCost(roundTrips: ClusterForwarding['roundTrips']): number {
	const commands = Object.keys(roundTrips.one) as (keyof RoundTrips)[];
	const p50 = (times: number[] | undefined) => percentile(times ?? [], 50);
	return percentile(
		commands.map((command) => p50(roundTrips.across[command]) - p50(roundTrips.one[command])),
		50
	);
}

function joinSection({ warmUp, joins }: ClusterJoins, perCommand: number): string {
	const of = (way: Way, phase: (typeof JOIN_PHASES)[number][1], p: number) =>
		percentile(
			joins[way].map(phase).filter((v): v is number => v !== undefined),
			p
		);
	const ratio = (phase: (typeof JOIN_PHASES)[number][1], p: number) => of('across', phase, p) / of('one', phase, p);
	const row = ([label, phase]: (typeof JOIN_PHASES)[number]) => [
		label,
		ms(of('one', phase, 50)),
		ms(of('one', phase, 95)),
		ms(of('across', phase, 50)),
		ms(of('across', phase, 95)),
		`${ms(of('across', phase, 50) - of('one', phase, 50))}`,
		ratio(phase, 50).toFixed(2),
		ratio(phase, 95).toFixed(2)
	];
	const frame = JOIN_PHASES.at(-1)![1];
	const [p50, p95] = [ratio(frame, 50), ratio(frame, 95)];
	// Each one-process join and the across join next to it ran back to back: their difference is free of the machine's drift.
	const paired = percentile(
		joins.one.map((one, i) => joins.across[i].frame - one.frame),
		50
	);
	return [
		'### Join → first remote video frame, the guest on another process',
		`room-join.ts's timed join (Room media, above) against the cluster: the mediator's page joins through the first process, which so owns the room, and sends camera and microphone. A guest invited by link and PIN joins in a fresh browser context through **the owner** (_one process_) or through **the other process** (_across_: its socket's \`room:*\` commands go to the owner over Redis and the owner's facts come back that way; its WebRTC transports connect straight to the owner's mediasoup worker). ${CLUSTER_JOINS} joins each way, taking turns one–across, across–one, … so that the shared machine's drift hits both alike (${GUESTS} guests in turn, each leaving with the leave button before its next join); one join each way before them warms up (frame at ${ms(warmUp.one.frame)} and ${ms(warmUp.across.frame)} ms). The time runs from the click on 进入会议 to the first frame of the mediator's video painted. Here the mediator's page admits the guest (its 请进 button's click event, dispatched the moment the guest's page shows the lobby), so the admit is one more socket round trip than in the single-process benchmark above, the same both ways.`,
		table(
			['Time from the click until…', 'one p50 ms', 'one p95', 'across p50', 'across p95', '+ p50 ms', '× p50', '× p95'],
			JOIN_PHASES.map(row)
		),
		`**First frame across processes: ${p50.toFixed(2)}× the one-process time at the median, ${p95.toFixed(2)}× at p95 (${verdict(Math.max(p50, p95), JOIN_TARGET)}).** Each phase's _+ p50_ is the difference by then; taken in pairs, each join on the owner with the join across next to it in time, the across join's first frame came ${paired < 0 ? `${ms(-paired)} ms sooner` : `${ms(paired)} ms later`} at the median. The forwarding itself adds about ${perCommand.toFixed(1)} ms to a command's round trip (the median of the commands' medians in the round trips of the next part), and a guest's page sends about a dozen room commands before its first frame (\`room:join\`, its transports made and connected, its microphone and camera produced, the mediator's two consumed and resumed), several at once: a difference of more than some tens of ms, either way, is not the forwarding but the shared machine over ${CLUSTER_JOINS} joins a way (or, across, a join's work in Node spread over two processes, so over both cores).`
	].join('\n\n');
}

function forwardingSection({ steps, roundTrips }: ClusterForwarding): string {
	const rates = packetsPerSecond(SPEAKER);
	const perConsumer = (side: 'one' | 'across') => slope(steps.map((s) => [s.consumers, s[side].cpu]));
	const [one, across] = [perConsumer('one'), perConsumer('across')];
	const ratio = across / one;
	const row = (s: ClusterForwardingStep) => [
		s.viewers,
		s.consumers,
		...sideBySide(s.across, s.one),
		pct(s.one.helperCpu),
		pct(s.one.benchCpu),
		pct(s.one.machineBusy)
	];
	const last = steps.at(-1)!;
	return [
		'### Worker CPU per consumer, the sockets on another process',
		`room-load.ts's forwarding comparison, with the app's own transports. Two sides at once, each in the worker of the process that owns its rooms: **one process**, ${FORWARDING_ROOMS} rooms owned by the first process with every socket on it; **across**, ${FORWARDING_ROOMS} rooms owned by the second process (its mediator's socket joined there first) with every other socket on the first, forwarded. In each room the applicant speaks (Opus at ${rates.audio} packets/s with the audio level extension, VP8 at ${SPEAKER.videoKbps[0]} kbit/s, about ${rates.video[0].toFixed(0)} packets/s) and the other guests, joined and admitted, watch: each consumes the speaker's audio and video (no header extensions, so no bandwidth estimation, as in room-load.ts). Everyone is a Socket.io client of the benchmark sending the commands a page sends (\`room:join\`, \`room:admit\`, \`room:createTransport\`, \`room:connectTransport\`, \`room:produce\`, \`room:consume\`, \`room:resumeConsumer\`), so the transports are the app's WebRtcTransports with ICE, DTLS and SRTP. Their far ends are WebRtcTransports of a helper worker of the benchmark's (both are ICE-lite, so a UDP relay in the benchmark sends each end a browser's connectivity checks and passes DTLS both ways, media only towards the app: \`tests/bench/ice-relay.ts\`). The helper worker sends the speakers' media, copied from one Node sender: room _i_ of each side gets the very same packets. Viewers are added in steps, one a side in turn; after ${SETTLE_MS / 1000} s, each owner's worker's CPU (user + system, \`/proc/<pid>/stat\`) is read over ${WINDOW_MS / 1000} s, measured again (up to three times) when a side carried its load less or more than ±${pct(DELIVERY_TOLERANCE)} %. _Out/s_ and _delivered_ count the RTP packets at the relay. CPU in % of one core; _helper_ is the helper worker, _bench_ the Node process with the sender and the relay.`,
		table(
			[
				'Viewers a side',
				'Consumers a side',
				'Out/s across',
				'Out/s one',
				'CPU across %',
				'CPU one %',
				'Ratio',
				'Delivered %',
				'Helper CPU %',
				'Bench CPU %',
				'Machine busy %'
			],
			steps.map(row)
		),
		`Fitted over the steps: **${(across * 100).toFixed(3)} % of a core per consumer across processes, ${(one * 100).toFixed(3)} % on one process: ${ratio.toFixed(2)}× (${verdict(ratio, CPU_TARGET)})**. At ${last.consumers} consumers a side the owners' workers used ${pct(last.one.cpu)} % and ${pct(last.across.cpu)} % of a core. Media is not piped between processes here: the consumers of a forwarded socket are on the owner's router like anyone's, so the worker does the same work per packet; what the forwarding costs is signalling, in Node, not per packet.`,
		`What the forwarding does cost, the viewers' commands as their sockets (all on the first process) timed them while the viewers were added, one a side in turn: a command on the owner is one Socket.io round trip; across, the first process also publishes it on the owner's Redis channel, and the reply comes back on its own.`,
		roundTripTable(roundTrips)
	].join('\n\n');
}

function roundTripTable(roundTrips: Record<'one' | 'across', RoundTrips>): string {
	const rows = (Object.keys(roundTrips.one) as (keyof RoundTrips)[]).map((command) => {
		const [one, across] = [roundTrips.one[command] ?? [], roundTrips.across[command] ?? []];
		return [
			`\`${command}\``,
			`${one.length} / ${across.length}`,
			ms(percentile(one, 50)),
			ms(percentile(one, 95)),
			ms(percentile(across, 50)),
			ms(percentile(across, 95)),
			ms(percentile(across, 50) - percentile(one, 50))
		];
	});
	return table(
		['Command', 'Times (one / across)', 'one p50 ms', 'one p95', 'across p50', 'across p95', '+ p50 ms'],
		rows
	);
}

function failoverSection(runs: FailoverRun[]): string {
	const phases: [string, (page: PageRecovery) => number | undefined][] = [
		['its connection closed (the page left the room)', (page) => page.left],
		['it was back in the joint space', (page) => page.back],
		['**its first new frame of a remote camera**', (page) => page.frame]
	];
	type Row = [page: string, until: string, of: (run: FailoverRun) => number | undefined];
	const pageRows = (page: string, of: (run: FailoverRun) => PageRecovery): Row[] =>
		phases.map(([until, phase]) => [page, until, (run) => phase(of(run))]);
	const rows: Row[] = [
		...pageRows('the applicant’s, its socket on the survivor', (run) => run.survivorPage),
		...pageRows('the respondent’s, its socket on the killed process', (run) => run.killedPage),
		['every page', '**new frames from every other page**', (run) => run.everyone]
	];
	const row = ([page, until, of]: Row) => {
		const times = runs.map(of).filter((t): t is number => t !== undefined);
		return [
			page,
			until,
			`${times.length}/${runs.length}`,
			times.length ? ms(percentile(times, 50)) : '—',
			times.length ? ms(Math.max(...times)) : '—'
		];
	};
	const findings = runs.flatMap((run, i) => run.findings.map((finding) => `- run ${i + 1}: ${finding}`));
	const each = (run: FailoverRun) =>
		[run.survivorPage.left, run.survivorPage.back, run.survivorPage.frame, run.killedPage.frame, run.everyone]
			.map(ms)
			.join(' / ');
	return [
		'### Failover: the owner killed',
		`The two processes behind the tests' TCP load balancer (\`tests/support/load-balancer.ts\`, port ${BALANCER_PORT}, as nginx would stand), started with the balancer's address as \`ORIGIN\`. recovery-bench.ts's three pages (the mediator, who admits the applicant and the respondent with 请进; each page following every remote camera with \`requestVideoFrameCallback\`, where a frame of a new track, or the first after ${GAP_MS} ms without one, begins a stream again) go through the balancer: the mediator's and the respondent's connections to one process, which the mediator's join makes the owner, the applicant's to the other. With video flowing everywhere, the owner is killed (SIGKILL); the time runs from the kill. The mediator's and respondent's sockets die with it and their pages reconnect through the balancer to the survivor, where their joins are forwarded to the dead owner while it still counts as alive (2.5 s from its last beat in Redis); once it does not, the survivor (which checks every half second) closes the sockets it had forwarded to it, the applicant's among them, those pages reconnect, and the first join takes the dead owner's lease and the room over, with everyone's places. ${runs.length} runs, a new mediation each, the processes taking turns to own and die (the killed one is started again before the next run). Times in ms after the kill; not recovered after ${RECOVERY_TIMEOUT_MS / 1000} s counts as not recovered.`,
		table(['Page', 'Until', 'Recovered', 'p50 ms', 'max ms'], rows.map(row)),
		`Each run (the applicant's page left / back / first frame; the respondent's first frame; everyone): ${runs.map(each).join('; ')}.`,
		findings.length ? `Not recovered, or not as it should:\n\n${findings.join('\n')}` : 'Every run recovered.'
	].join('\n\n');
}
