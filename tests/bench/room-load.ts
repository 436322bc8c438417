/**
 * What forwarding costs a mediasoup worker, measured as the CPU time of its process under
 * synthetic parties (tests/bench/rtp-feed.ts) on PlainTransports, no browser involved:
 *
 * - forwarding: the project's room (a `Room` on a `WorkerPool`) against a bare mediasoup router,
 *   both fed the very same packets at the same time, with more and more viewers;
 * - capacity: four-party rooms added to one worker of the project's pool until it passes 85 % of a core.
 *
 * A `Room` only ever makes WebRtcTransports, which a Node process cannot connect to without a
 * WebRTC stack of its own; so the transports here are PlainTransports added to the Room's own
 * router, caught through mediasoup's observer API, and audio producers join the Room's own audio
 * level observer, as `Room.produce` does. All the per-packet work happens in the worker, on that router.
 */
import { randomBytes } from 'node:crypto';
import { createWorker, observer, type types } from 'mediasoup';
import type { MediaConfig } from '#server/config.ts';
import { MEDIA_CODECS } from '#server/media/media-codecs.ts';
import { Room } from '#server/media/room.ts';
import { WorkerPool } from '#server/media/worker-pool.ts';
import {
	cpuSeconds,
	DiscardSink,
	machineTicks,
	packetsPerSecond,
	RtpSender,
	type Address,
	type PartySpec
} from './rtp-feed.ts';

/** The speaker of the forwarding comparison: Opus and a single 500 kbit/s VP8 stream. */
export const SPEAKER: PartySpec = { videoKbps: [500] };
/** Viewers at each step of the comparison; each consumes the speaker's audio and video on a transport of its own. */
export const VIEWER_STEPS = [0, 60, 120, 180];
/** Each party of a capacity room: Opus and VP8 in the three simulcast layers of the room client's camera. */
export const ROOM_PARTY: PartySpec = { videoKbps: [150, 500, 1200] };
export const PARTIES_PER_ROOM = 4;
/** The layer the capacity rooms' consumers ask for: the middle one, which a tile 320–720 px wide takes. */
export const CONSUMED_LAYER = 1;
export const CPU_LIMIT = 0.85;
/** What Chromium and mediasoup negotiate (the join benchmark reads it from Chromium's statistics). */
export const SRTP_SUITE: types.SrtpCryptoSuite = 'AEAD_AES_256_GCM';
const MAX_ROOMS = 100;
/** The ramp stops here even below the limit: a machine short of CPU makes every step slow. */
export const CAPACITY_BUDGET_MS = 5 * 60_000;
/** Distinct parties the sender plays for the capacity rooms; the helper worker copies them to every party. */
const SOURCES = 8;
/** Long enough for every new consumer to get a keyframe (one every 2 s) and start forwarding. */
export const SETTLE_MS = 3000;
export const WINDOW_MS = 8000;
/**
 * A window in which a worker carried more or less than its load by this share is measured again:
 * it was starved of CPU, during the window (less) or before it, catching up then (more).
 */
export const DELIVERY_TOLERANCE = 0.04;
const ATTEMPTS = 3;
/**
 * How long a worker may take over the requests of one step. mediasoup's requests have no
 * timeout of their own, and an overloaded worker can stop answering altogether.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
const POOL_CONFIG: MediaConfig = {
	workers: 1,
	listenIp: '127.0.0.1',
	announcedAddress: undefined,
	minPort: 40000,
	maxPort: 40100
};
const LOCAL: types.TransportListenInfo = { protocol: 'udp', ip: '127.0.0.1' };
const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/** One measuring window of one worker. CPU is a fraction of one core; packets are per second, as the worker counted them. */
export type Window = {
	seconds: number;
	cpu: number;
	packetsIn: number;
	packetsOut: number;
	/** In or out against what the sender and the consumers should have carried, whichever is further off. */
	delivered: number;
	/** Of the benchmark's own process (the sender). */
	benchCpu: number;
	/** Of the helper worker, when there is one. */
	helperCpu: number;
	/** Of the whole machine, all cores: near 1, the machine was short of CPU and others' load may show. */
	machineBusy: number;
};

export type ForwardingStep = { viewers: number; consumers: number; project: Window; bare: Window };

export type CapacityStep = { rooms: number; consumers: number; window: Window };
/**
 * The steps, and why the ramp stopped: the worker passed the limit; the time ran out; or the
 * worker stopped answering requests on its channel (at `rooms`), overloaded.
 */
export type Capacity = {
	steps: CapacityStep[];
	stop: { reason: 'limit' | 'time' | 'max' } | { reason: 'unresponsive'; rooms: number };
};

/** What a worker carries: the RTP packets it received and sent so far, and the packets per second it should. */
export type Load = {
	pid: number;
	packets: () => Promise<{ in: number; out: number }>;
	expected: { in: number; out: number };
};

/** Producers and consumers of a worker (on one router or more), counted from their statistics. */
type Streams = { producers: types.Producer[]; consumers: types.Consumer[] };

/** A router under load. */
type Target = Load &
	Streams & {
		router: types.Router;
		/** The Room's audio level observer, when the router is a Room's. */
		audioLevels: types.AudioLevelObserver | null;
	};

export async function benchForwarding(): Promise<ForwardingStep[]> {
	const sender = new RtpSender();
	const sink = new DiscardSink();
	await Promise.all([sender.start(), sink.start()]);
	const pool = await startPool();
	const bareWorker = await createWorker();
	try {
		const project = await projectRoom(pool, 'bench-forwarding');
		const bare = target(await bareWorker.createRouter({ mediaCodecs: MEDIA_CODECS }), null, bareWorker.pid);
		const targets = [project.target, bare];

		// One speaker, heard by both routers: the same packets go to the send transport of each.
		const sends = await Promise.all(targets.map((t) => sendTransport(t, sender.address)));
		const speaker = sender.addParty(
			SPEAKER,
			sends.map(({ address }) => address)
		);
		const parameters = { audio: speaker.audioParameters, video: speaker.videoParameters() };
		const producers = await Promise.all(targets.map((t, i) => produce(t, sends[i].transport, parameters)));
		const rates = packetsPerSecond(SPEAKER);
		const perViewer = rates.audio + rates.video[0];

		const steps: ForwardingStep[] = [];
		let viewers = 0;
		for (const wanted of VIEWER_STEPS) {
			for (; viewers < wanted; viewers++) {
				for (const [i, t] of targets.entries()) await addViewer(t, producers[i], sink.address, false);
			}
			for (const t of targets) t.expected = { in: perViewer, out: viewers * perViewer };
			await sleep(SETTLE_MS);
			const [projectWindow, bareWindow] = await measure(targets, null);
			steps.push({ viewers, consumers: viewers * 2, project: projectWindow, bare: bareWindow });
			console.log(
				`  ${viewers} viewers: project ${percent(projectWindow.cpu)}, bare ${percent(bareWindow.cpu)} of a core`
			);
		}
		project.room.close();
		return steps;
	} finally {
		pool.pool.close();
		bareWorker.close();
		sink.stop();
		await sender.stop();
	}
}

/**
 * Four-party rooms on the one worker of a project pool, added until it passes CPU_LIMIT: each
 * step covers half the distance the CPU per room so far predicts, so that near the limit rooms
 * come one at a time. Every party's packets reach its room with SRTP, encrypted by a helper worker.
 */
export async function benchCapacity(): Promise<Capacity> {
	const deadline = performance.now() + CAPACITY_BUDGET_MS;
	const sender = new RtpSender();
	const sink = new DiscardSink();
	await Promise.all([sender.start(), sink.start()]);
	const pool = await startPool();
	const feeder = await SrtpFeeder.create(sender, ROOM_PARTY, SOURCES);
	const rates = packetsPerSecond(ROOM_PARTY);
	const partyIn = rates.audio + rates.video.reduce((a, b) => a + b, 0);
	const partyOut = (PARTIES_PER_ROOM - 1) * (rates.audio + rates.video[CONSUMED_LAYER]);
	// All the rooms: the worker's counts are summed over them.
	const streams: Streams = { producers: [], consumers: [] };
	const all: Load = { pid: pool.worker.pid, packets: () => countedByWorker(streams), expected: { in: 0, out: 0 } };
	try {
		const steps: CapacityStep[] = [];
		let rooms = 0;
		while (rooms < MAX_ROOMS) {
			const last = steps.at(-1);
			const add = last
				? Math.max(1, Math.floor((CPU_LIMIT - last.window.cpu) / (last.window.cpu / last.rooms) / 2))
				: 1;
			const wanted = Math.min(MAX_ROOMS, rooms + add);
			let window: Window;
			try {
				for (; rooms < wanted; rooms++) {
					const { target: room } = await answered(projectRoom(pool, `bench-capacity-${rooms}`));
					await answered(fourPartyRoom(room, feeder, sink.address));
					streams.producers.push(...room.producers);
					streams.consumers.push(...room.consumers);
				}
				const parties = rooms * PARTIES_PER_ROOM;
				all.expected = { in: parties * partyIn, out: parties * partyOut };
				await sleep(SETTLE_MS);
				[window] = await measure([all], feeder.pid);
			} catch (error) {
				if (!(error instanceof Unanswered)) throw error;
				console.log(`  ${rooms} rooms: the worker stopped answering requests`);
				return { steps, stop: { reason: 'unresponsive', rooms } };
			}
			steps.push({ rooms, consumers: streams.consumers.length, window });
			console.log(`  ${rooms} rooms: worker ${percent(window.cpu)} of a core, ${percent(window.delivered)} delivered`);
			if (window.cpu >= CPU_LIMIT) return { steps, stop: { reason: 'limit' } };
			if (performance.now() > deadline) return { steps, stop: { reason: 'time' } };
		}
		return { steps, stop: { reason: 'max' } };
	} finally {
		pool.pool.close();
		feeder.close();
		sink.stop();
		await sender.stop();
	}
}

/** A worker did not answer within REQUEST_TIMEOUT_MS. */
class Unanswered extends Error {}

/** The promise, or an Unanswered error once REQUEST_TIMEOUT_MS have passed. */
async function answered<T>(promise: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Unanswered('the worker did not answer')), REQUEST_TIMEOUT_MS);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function target(router: types.Router, audioLevels: types.AudioLevelObserver | null, pid: number): Target {
	const streams: Streams = { producers: [], consumers: [] };
	return { router, audioLevels, pid, ...streams, packets: () => countedByWorker(streams), expected: { in: 0, out: 0 } };
}

/** The project's pool with a single worker, as `RoomRegistry` starts it with MEDIA_WORKERS=1, and that worker. */
async function startPool(): Promise<{ pool: WorkerPool; worker: types.Worker }> {
	const workers: types.Worker[] = [];
	const onWorker = (worker: types.Worker) => workers.push(worker);
	observer.on('newworker', onWorker);
	try {
		const pool = await WorkerPool.create(POOL_CONFIG);
		return { pool, worker: workers[0] };
	} finally {
		observer.off('newworker', onWorker);
	}
}

/** A Room as the registry opens one, with its router and audio level observer caught on their way through mediasoup's observer API. */
async function projectRoom(
	{ pool, worker }: { pool: WorkerPool; worker: types.Worker },
	id: string
): Promise<{ room: Room; target: Target }> {
	let router: types.Router | undefined;
	let audioLevels: types.AudioLevelObserver | undefined;
	const onRouter = (created: types.Router) => {
		router = created;
		created.observer.once('newrtpobserver', (rtpObserver) => (audioLevels = rtpObserver as types.AudioLevelObserver));
	};
	worker.observer.on('newrouter', onRouter);
	try {
		const room = await Room.create(id, pool);
		if (!router || !audioLevels || router.id !== room.dump().routerId)
			throw new Error('the room’s router was not seen');
		return { room, target: target(router, audioLevels, worker.pid) };
	} finally {
		worker.observer.off('newrouter', onRouter);
	}
}

function plainTransport(t: Target, srtp: boolean): Promise<types.PlainTransport> {
	return t.router.createPlainTransport({
		listenInfo: LOCAL,
		rtcpMux: true,
		comedia: false,
		enableSrtp: srtp,
		srtpCryptoSuite: SRTP_SUITE
	});
}

const localAddress = (transport: types.PlainTransport): Address => ({
	ip: transport.tuple.localAddress,
	port: transport.tuple.localPort
});

/** A plain transport to send on, from the sender's socket. */
async function sendTransport(t: Target, from: Address): Promise<{ transport: types.PlainTransport; address: Address }> {
	const transport = await plainTransport(t, false);
	await transport.connect(from);
	return { transport, address: localAddress(transport) };
}

/** A party's audio and video producers; the audio one joins the Room's audio level observer, as `Room.produce` does. */
async function produce(
	t: Target,
	transport: types.PlainTransport,
	parameters: { audio: types.RtpParameters; video: types.RtpParameters }
): Promise<types.Producer[]> {
	const audio = await transport.produce({ kind: 'audio', rtpParameters: parameters.audio });
	const video = await transport.produce({ kind: 'video', rtpParameters: parameters.video });
	await t.audioLevels?.addProducer({ producerId: audio.id });
	t.producers.push(audio, video);
	return [audio, video];
}

/** A receiving transport with a consumer of each producer, sending to the sink. */
async function addViewer(t: Target, producers: types.Producer[], sink: Address, srtp: boolean): Promise<void> {
	const transport = await plainTransport(t, srtp);
	// The sink never sends RTCP, so these keys are never used; an SRTP transport wants them all the same.
	const srtpParameters: types.SrtpParameters | undefined = srtp
		? { cryptoSuite: SRTP_SUITE, keyBase64: randomBytes(44).toString('base64') }
		: undefined;
	await transport.connect({ ...sink, srtpParameters });
	// No header extensions: no bandwidth estimation, so simulcast consumers keep the layer asked for.
	const rtpCapabilities = { codecs: t.router.rtpCapabilities.codecs, headerExtensions: [] };
	for (const producer of producers) {
		const consumer = await transport.consume({
			producerId: producer.id,
			rtpCapabilities,
			preferredLayers: producer.kind === 'video' ? { spatialLayer: CONSUMED_LAYER } : undefined
		});
		t.consumers.push(consumer);
	}
}

/** Four parties, each sending audio and simulcast video with SRTP, and receiving the other three with SRTP. */
async function fourPartyRoom(room: Target, feeder: SrtpFeeder, sink: Address): Promise<void> {
	const producers: types.Producer[][] = [];
	for (let i = 0; i < PARTIES_PER_ROOM; i++) {
		const transport = await plainTransport(room, true);
		producers.push(await produce(room, transport, await feeder.party(transport)));
	}
	for (let i = 0; i < PARTIES_PER_ROOM; i++) {
		await addViewer(room, producers.filter((_, j) => j !== i).flat(), sink, true);
	}
}

/**
 * A worker of its own that plays the parties, with SRTP as a browser sends it: the sender's few
 * sources (plain RTP, one producer per simulcast layer) are consumed there by every party's SRTP
 * transport, which is connected to the party's transport on the measured router (or is a
 * WebRtcTransport joined to one of the app's: ice-relay.ts). So each party's streams have SSRCs,
 * sequence numbers and SRTP keys of their own, and the packets are copied and encrypted in C++,
 * several times cheaper than Node sends them.
 */
export class SrtpFeeder {
	readonly #worker: types.Worker;
	readonly #router: types.Router;
	readonly #spec: PartySpec;
	/** Each source's producers: audio, then one per layer. */
	readonly #sources: types.Producer[][] = [];
	#next = 0;

	static async create(sender: RtpSender, spec: PartySpec, sources: number): Promise<SrtpFeeder> {
		const worker = await createWorker();
		const feeder = new SrtpFeeder(worker, await worker.createRouter({ mediaCodecs: MEDIA_CODECS }), spec);
		for (let i = 0; i < sources; i++) await feeder.#addSource(sender);
		return feeder;
	}

	private constructor(worker: types.Worker, router: types.Router, spec: PartySpec) {
		this.#worker = worker;
		this.#router = router;
		this.#spec = spec;
	}

	get pid(): number {
		return this.#worker.pid;
	}

	async #addSource(sender: RtpSender): Promise<void> {
		const from = await this.#router.createPlainTransport({ listenInfo: LOCAL, rtcpMux: true, comedia: false });
		await from.connect(sender.address);
		const party = sender.addParty(this.#spec, [localAddress(from)]);
		this.#sources.push([
			await from.produce({ kind: 'audio', rtpParameters: party.audioParameters }),
			...(await Promise.all(
				this.#spec.videoKbps.map((_, layer) =>
					from.produce({ kind: 'video', rtpParameters: party.videoParameters(layer) })
				)
			))
		]);
	}

	/** Where the parties' transports are made: a router of the feeder's worker, with the project's codecs. */
	get router(): types.Router {
		return this.#router;
	}

	/**
	 * A new party sending to `to` (an SRTP transport), from the next source in turn: the parties of
	 * a room get different sources. Returns the RTP parameters of what arrives there.
	 */
	async party(to: types.PlainTransport): Promise<PartyParameters> {
		const out = await this.#router.createPlainTransport({
			listenInfo: LOCAL,
			rtcpMux: true,
			comedia: false,
			enableSrtp: true,
			srtpCryptoSuite: SRTP_SUITE
		});
		await out.connect({ ...localAddress(to), srtpParameters: to.srtpParameters });
		await to.connect({ ...localAddress(out), srtpParameters: out.srtpParameters });
		return this.sendOn(out);
	}

	/**
	 * The next source in turn sent out of `out`, a transport of the feeder's router: the RTP
	 * parameters of what it sends, for the producer that receives it.
	 */
	async sendOn(out: types.Transport): Promise<PartyParameters> {
		const source = this.#sources[this.#next++ % this.#sources.length];
		// Opus with its audio level extension, VP8 without retransmission: one SSRC per stream.
		const rtpCapabilities: types.RtpCapabilities = {
			codecs: this.#router.rtpCapabilities.codecs!.filter((codec) => !codec.mimeType.endsWith('/rtx')),
			headerExtensions: this.#router.rtpCapabilities.headerExtensions!.filter((ext) => ext.uri === AUDIO_LEVEL_URI)
		};
		const [audio, ...layers] = await Promise.all(
			source.map((producer) => out.consume({ producerId: producer.id, rtpCapabilities }))
		);
		const ssrcOf = (consumer: types.Consumer) => consumer.rtpParameters.encodings![0].ssrc!;
		return {
			audio: {
				codecs: audio.rtpParameters.codecs,
				headerExtensions: audio.rtpParameters.headerExtensions,
				encodings: [{ ssrc: ssrcOf(audio) }],
				rtcp: audio.rtpParameters.rtcp
			},
			video: {
				codecs: layers[0].rtpParameters.codecs,
				encodings: layers.map((layer, i) => ({ ssrc: ssrcOf(layer), maxBitrate: this.#spec.videoKbps[i] * 1000 })),
				rtcp: layers[0].rtpParameters.rtcp
			}
		};
	}

	close(): void {
		this.#worker.close();
	}
}

/** What a party sends, as its producers' RTP parameters. */
export type PartyParameters = { audio: types.RtpParameters; video: types.RtpParameters };

/** RTP packets the producers received and the consumers sent so far, as their worker counts them. */
async function countedByWorker({ producers, consumers }: Streams): Promise<{ in: number; out: number }> {
	const sum = (stats: { type: string; packetCount: number }[][], type: string) =>
		stats.flat().reduce((total, s) => total + (s.type === type ? s.packetCount : 0), 0);
	const [received, sent] = await Promise.all([
		Promise.all(producers.map((producer) => producer.getStats())),
		Promise.all(consumers.map((consumer) => consumer.getStats()))
	]);
	return { in: sum(received, 'inbound-rtp'), out: sum(sent, 'outbound-rtp') };
}

const packetCounts = async (load: Load) => ({ ...(await load.packets()), at: performance.now() });

/** How far a window's packets were from its load. */
const offBy = (window: Window) => Math.abs(window.delivered - 1);

/** The worker carried its load, give or take the tolerance: the window shows it in a steady state. */
export const isSteady = (window: Window) => offBy(window) <= DELIVERY_TOLERANCE;

/**
 * CPU time of each target's worker over one window, and the packets it carried, counted from its
 * statistics just before and just after the window (the requests stay out of it). As the machine
 * is shared, a window that is not steady is measured again: the steadiest of ATTEMPTS is kept.
 */
export async function measure(targets: Load[], helperPid: number | null): Promise<Window[]> {
	let best: Window[] = [];
	const worst = (windows: Window[]) => Math.max(...windows.map(offBy));
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		const windows = await measureOnce(targets, helperPid);
		if (!best.length || worst(windows) < worst(best)) best = windows;
		if (windows.every(isSteady)) break;
	}
	return best;
}

async function measureOnce(targets: Load[], helperPid: number | null): Promise<Window[]> {
	const countsBefore = await answered(Promise.all(targets.map(packetCounts)));
	const cpuBefore = targets.map((t) => cpuSeconds(t.pid));
	const helperBefore = helperPid ? cpuSeconds(helperPid) : 0;
	const bench = process.cpuUsage();
	const machine = machineTicks();
	const started = performance.now();
	await sleep(WINDOW_MS);
	const seconds = (performance.now() - started) / 1000;
	const cpuAfter = targets.map((t) => cpuSeconds(t.pid));
	const helperCpu = helperPid ? (cpuSeconds(helperPid) - helperBefore) / seconds : 0;
	const benchUsage = process.cpuUsage(bench);
	const machineNow = machineTicks();
	const countsAfter = await answered(Promise.all(targets.map(packetCounts)));
	return targets.map((t, i) => {
		const countSeconds = (countsAfter[i].at - countsBefore[i].at) / 1000;
		const packetsIn = (countsAfter[i].in - countsBefore[i].in) / countSeconds;
		const packetsOut = (countsAfter[i].out - countsBefore[i].out) / countSeconds;
		const share = (value: number, expected: number) => (expected ? value / expected : 1);
		const shares = [share(packetsIn, t.expected.in), share(packetsOut, t.expected.out)];
		return {
			seconds,
			cpu: (cpuAfter[i] - cpuBefore[i]) / seconds,
			packetsIn,
			packetsOut,
			delivered: shares.reduce((a, b) => (Math.abs(b - 1) > Math.abs(a - 1) ? b : a)),
			benchCpu: (benchUsage.user + benchUsage.system) / 1e6 / seconds,
			helperCpu,
			machineBusy: (machineNow.busy - machine.busy) / (machineNow.total - machine.total)
		};
	});
}
