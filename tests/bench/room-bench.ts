/**
 * The room's media: how long a guest waits for the mediator's video after joining, in Chromium
 * against the real app (room-join.ts); what forwarding costs the mediasoup worker per consumer,
 * the project's room against a bare router; and how many four-party rooms one worker holds
 * (room-load.ts). `npm run bench -- --only room` runs this alone.
 */
import { readFileSync } from 'node:fs';
import { version as mediasoupVersion } from 'mediasoup';
import {
	benchCapacity,
	benchForwarding,
	CONSUMED_LAYER,
	CPU_LIMIT,
	DELIVERY_TOLERANCE,
	isSteady,
	PARTIES_PER_ROOM,
	ROOM_PARTY,
	SETTLE_MS,
	SPEAKER,
	SRTP_SUITE,
	WINDOW_MS,
	CAPACITY_BUDGET_MS,
	REQUEST_TIMEOUT_MS,
	type Capacity,
	type CapacityStep,
	type ForwardingStep,
	type Window
} from './room-load.ts';
import { benchJoins, GUESTS, JOINS, type JoinResult, type JoinTiming } from './room-join.ts';
import { packetsPerSecond } from './rtp-feed.ts';

export const roomSectionTitle = 'Room media: join, forwarding and capacity';

/** The project's room may cost at most this much more per consumer than a bare router. */
const RATIO_TARGET = 1.1;

export async function benchRoom(): Promise<string> {
	const started = performance.now();
	console.log('join → first remote video frame (Chromium)');
	const joins = await benchJoins();
	console.log('forwarding: project room against bare router');
	const forwarding = await benchForwarding();
	console.log('capacity: four-party rooms on one worker');
	const capacity = await benchCapacity();
	const minutes = (performance.now() - started) / 60_000;
	return section(joins, forwarding, capacity, minutes);
}

/** The browser's library, as installed (its package.json is not among its exports). */
const clientVersion = (): string =>
	JSON.parse(readFileSync(new URL('../../node_modules/mediasoup-client/package.json', import.meta.url), 'utf8'))
		.version;

export const table = (head: string[], rows: (string | number)[][]) =>
	[head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
export const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(0));
export const pct = (fraction: number) => (fraction * 100).toFixed(1);
const count = (n: number) => Math.round(n).toLocaleString('en');

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Least-squares line of y over x. */
function fitLine(points: [number, number][]): { slope: number; intercept: number } {
	const n = points.length;
	const mx = points.reduce((s, [x]) => s + x, 0) / n;
	const my = points.reduce((s, [, y]) => s + y, 0) / n;
	const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
	const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
	return { slope: sxy / sxx, intercept: my - (sxy / sxx) * mx };
}

export const slope = (points: [number, number][]) => fitLine(points).slope;

function section(joins: JoinResult, forwarding: ForwardingStep[], capacity: Capacity, minutes: number): string {
	return [
		`Reproduce: \`npm run bench -- --only room\` (${minutes.toFixed(1)} min this time). Chromium ${joins.chromium}, mediasoup ${mediasoupVersion} and mediasoup-client ${clientVersion()}; every worker here is the same binary, the one \`node server/cli/ensure-media-worker.ts\` put in node_modules. The machine is shared: the _machine busy_ columns give how busy its two cores were during each window, other people's work included, and a window in which a worker carried its load less or more than ±${pct(DELIVERY_TOLERANCE)} % (it was starved of CPU, during the window or just before it, catching up then) is measured again, up to three times, keeping the steadiest. _Delivered_ is what the worker received or sent, from its own statistics, against what it should have, whichever is further off.`,
		joinSection(joins),
		forwardingSection(forwarding),
		capacitySection(capacity)
	].join('\n\n');
}

/** The phases of a join, as the page saw them, with their labels. */
export const JOIN_PHASES: [string, (t: JoinTiming) => number | undefined][] = [
	['the lobby shows (connected, `room:join` answered, mediasoup Device loaded)', (t) => t.lobby],
	['the joint space shows (admitted)', (t) => t.joint],
	['the page sends its first `room:produce` (its two transports made)', (t) => t.produce],
	['the page sends its first `room:consume`', (t) => t.consume],
	["the mediator's camera tile has its `<video>` (transports, own producers, consumer)", (t) => t.video],
	['**first frame of the mediator’s video painted**', (t) => t.frame]
];

function joinSection({ warmUp, joins, received }: JoinResult): string {
	const row = ([label, of]: (typeof JOIN_PHASES)[number]) => {
		const values = joins.map(of).filter((v): v is number => v !== undefined);
		return [
			label,
			values.length,
			ms(percentile(values, 50)),
			ms(percentile(values, 95)),
			ms(Math.min(...values)),
			ms(Math.max(...values)),
			ms(of(warmUp))
		];
	};
	const seen = received
		? `The guest received the mediator's camera at ${received.width}×${received.height} (the middle simulcast layer, which its tile asks for) over SRTP with \`${received.srtpCipher}\`.`
		: '';
	return [
		'### Join → first remote video frame',
		`The real app (the built SvelteKit handler and Socket.io on one HTTP server, as \`npm start\` serves them; in-memory PGlite) in headless Chromium with fake camera and microphone, launched with the flags of playwright.config.ts. A mediator's page sits in the joint space sending camera and microphone. Each of ${JOINS} joins is a guest invited by link and PIN (${GUESTS} guests, each joining ${JOINS / GUESTS} times), in a fresh browser context: the room page loads and its device check opens the devices, then the time runs **from the click on 进入会议 (\`device_join\`) to the first frame of the mediator's video painted** (\`requestVideoFrameCallback\` on the mediator's tile, timestamps taken in the page). The admit is automatic and immediate: the page calls the benchmark the moment it shows the lobby, which calls \`Room.admit\` as \`room:admit\` does, without the mediator's socket round trip. (Admitting as soon as the server sees the guest instead, before the page has loaded its mediasoup Device, leaves the guest stuck in the lobby: the admit is overwritten by the older snapshot of the \`room:join\` reply.) Between joins the guest leaves with the room's leave button. One join before these warms the server and browser up; its times are in the last column. ${seen}`,
		table(
			['Time from the click until…', 'Joins', 'p50 ms', 'p95 ms', 'min', 'max', 'warm-up join'],
			JOIN_PHASES.map(row)
		)
	].join('\n\n');
}

function forwardingSection(steps: ForwardingStep[]): string {
	const rates = packetsPerSecond(SPEAKER);
	const fit = (side: 'project' | 'bare') => ({
		perConsumer: slope(steps.map((s) => [s.consumers, s[side].cpu])),
		perPacket: slope(steps.map((s) => [s[side].packetsOut, s[side].cpu]))
	});
	const project = fit('project');
	const bare = fit('bare');
	const ratio = project.perConsumer / bare.perConsumer;
	const last = steps.at(-1)!;
	const row = (s: ForwardingStep) => [
		s.viewers,
		s.consumers,
		...sideBySide(s.project, s.bare),
		pct(s.project.machineBusy)
	];
	return [
		'### Forwarding cost per consumer: the project’s room against a bare router',
		`Two workers side by side, fed the very same packets at the same time by a Node sender playing one speaker: Opus at ${rates.audio} packets/s with the audio level header extension, and VP8 at ${SPEAKER.videoKbps[0]} kbit/s, 30 fps, about ${rates.video[0].toFixed(0)} packets/s of up to 1,200 bytes, with a keyframe every 2 s. **Project**: a \`Room\` made by \`Room.create\` on a one-worker \`WorkerPool\` (so its router has the project's codecs and its audio level observer, to which the speaker's microphone is added as \`Room.produce\` does). **Bare**: mediasoup's \`createWorker()\` and \`createRouter({ mediaCodecs })\` with the same codecs, nothing else. The Room only makes WebRtcTransports, which need a WebRTC stack to feed, so on both sides the speaker sends to a PlainTransport and each viewer is a PlainTransport (plain RTP, no SRTP, which would cost both the same) with a consumer of the audio and one of the video, sending to a UDP socket that nobody reads. The Room's other work (signalling, rules) happens in Node and never touches a packet. Viewers are added in steps; after ${SETTLE_MS / 1000} s, CPU (user + system, from \`/proc/<pid>/stat\`) of each worker process is read over ${WINDOW_MS / 1000} s, and the packets each forwarded from its consumers' statistics. CPU is in % of one core.`,
		table(
			[
				'Viewers',
				'Consumers',
				'Out/s project',
				'Out/s bare',
				'CPU project %',
				'CPU bare %',
				'Ratio',
				'Delivered %',
				'Machine busy %'
			],
			steps.map(row)
		),
		`Fitted over the steps: **${(project.perConsumer * 100).toFixed(3)} % of a core per consumer for the project, ${(bare.perConsumer * 100).toFixed(3)} % for the bare router: ${ratio.toFixed(2)}× (target ≤ ${RATIO_TARGET}× ${ratio <= RATIO_TARGET ? '✓' : '✗'})**; per forwarded packet ${(project.perPacket * 1e6).toFixed(1)} µs against ${(bare.perPacket * 1e6).toFixed(1)} µs. At ${last.consumers} consumers the workers used ${pct(last.project.cpu)} % and ${pct(last.bare.cpu)} % of a core. On loopback a packet's send also pays for its delivery to the receiving socket, which a network card would take over.`
	].join('\n\n');
}

/**
 * Two workers' windows, fed alike: the one measured and its reference. Their packets sent and CPU,
 * the ratio of their CPU, and what they delivered, whichever is further off.
 */
export const sideBySide = (measured: Window, reference: Window) => [
	count(measured.packetsOut),
	count(reference.packetsOut),
	pct(measured.cpu),
	pct(reference.cpu),
	reference.cpu > 0.01 ? (measured.cpu / reference.cpu).toFixed(2) : '—',
	pct([measured.delivered, reference.delivered].reduce((a, b) => (Math.abs(b - 1) > Math.abs(a - 1) ? b : a)))
];

function capacitySection({ steps, stop }: Capacity): string {
	const rates = packetsPerSecond(ROOM_PARTY);
	const below = steps.filter((s) => s.window.cpu < CPU_LIMIT).at(-1);
	const crossed = steps.find((s) => s.window.cpu >= CPU_LIMIT);
	const starved = steps.filter((s) => !isSteady(s.window));
	const row = ({ rooms, consumers, window: w }: CapacityStep) => [
		rooms,
		consumers,
		count(w.packetsIn),
		count(w.packetsOut),
		`**${pct(w.cpu)}**`,
		pct(w.delivered),
		pct(w.helperCpu),
		pct(w.benchCpu),
		pct(w.machineBusy)
	];
	const verdict = crossed
		? `**One worker holds ${below?.rooms ?? 0} four-party rooms below ${pct(CPU_LIMIT)} % of a core** (${pct(below?.window.cpu ?? 0)} %); at ${crossed.rooms} it used ${pct(crossed.window.cpu)} %.`
		: `The worker stayed below ${pct(CPU_LIMIT)} % up to the last step${stop.reason === 'time' ? `, where the ramp ran out of its ${CAPACITY_BUDGET_MS / 60_000} minutes` : ''}: **at least ${below?.rooms ?? 0} rooms**.`;
	const unresponsive =
		stop.reason === 'unresponsive'
			? ` **At ${stop.rooms} rooms the worker stopped answering requests on its channel** (none answered within ${REQUEST_TIMEOUT_MS / 1000} s) while it went on forwarding: overloaded (the machine was short of CPU), it no longer served its control channel, and the ramp stopped there.`
			: '';
	// One window near the limit is noisy on a shared machine: a line through every steady step is steadier.
	const fed = steps.filter((s) => isSteady(s.window));
	const line = fed.length > 1 ? fitLine(fed.map((s) => [s.rooms, s.window.cpu])) : null;
	const fitted = line
		? ` A straight line through the steady steps (${pct(line.slope)} % of a core per room) reaches ${pct(CPU_LIMIT)} % at ${((CPU_LIMIT - line.intercept) / line.slope).toFixed(1)} rooms.`
		: '';
	const caveat = starved.length
		? ` In ${starved.length} step(s) the worker was off its load by more than ${pct(DELIVERY_TOLERANCE)} % even at the steadiest of three windows (the _delivered_ column): the machine was short of CPU then, and those steps' CPU is not to be trusted.`
		: '';
	return [
		'### Capacity: four-party rooms on one worker',
		`Rooms made by \`Room.create\` on a one-worker \`WorkerPool\`, each with ${PARTIES_PER_ROOM} parties. A party sends Opus (${rates.audio} packets/s, audio level extension, added to the Room's audio level observer) and VP8 in the room client's three simulcast layers (${ROOM_PARTY.videoKbps.join(', ')} kbit/s at 30 fps: ${rates.video.map((r) => r.toFixed(0)).join(' + ')} packets/s), and receives the other three parties' audio and video, their video at layer ${CONSUMED_LAYER} (the middle one; what a tile 320–720 px wide asks for). Transports are PlainTransports with SRTP \`${SRTP_SUITE}\` both ways, as Chromium negotiates with mediasoup (part 1), so the worker decrypts every packet in and encrypts every packet out; what WebRTC adds besides (ICE, DTLS, RTCP feedback, bandwidth estimation, retransmissions) is left out, so real rooms cost somewhat more. The parties' packets come from a helper worker that copies 8 distinct parties played by the Node sender to every party's transport and encrypts them (Node cannot encrypt fast enough); consumers send to a UDP socket nobody reads. Rooms are added in steps that cover half the remaining distance to ${pct(CPU_LIMIT)} % that the CPU per room so far predicts, so rooms come one at a time near it; after each step, ${SETTLE_MS / 1000} s to settle, then ${WINDOW_MS / 1000} s measured. _In/s_ and _out/s_ are RTP packets the worker received and sent, from its statistics; _helper_ and _bench_ are the helper worker and the Node sender.`,
		table(
			[
				'Rooms',
				'Consumers',
				'In/s',
				'Out/s',
				'Worker CPU %',
				'Delivered %',
				'Helper CPU %',
				'Bench CPU %',
				'Machine busy %'
			],
			steps.map(row)
		),
		verdict + unresponsive + fitted + caveat
	].join('\n\n');
}
