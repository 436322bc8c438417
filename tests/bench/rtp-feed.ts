/**
 * Synthetic media for mediasoup PlainTransports, so that a worker can be loaded without a
 * browser: a UDP sender playing parties that each send Opus and VP8 as Chromium does (packet
 * sizes and rates, VP8 payload descriptors with keyframes, the audio level header extension),
 * and a UDP sink that swallows what a worker forwards to it. Also: CPU time from /proc.
 *
 * The packets are plain RTP: SRTP in Node (a cipher object per packet) costs about 25 µs a
 * packet, more than the worker spends forwarding one, so whoever needs SRTP puts a mediasoup
 * worker in between to encrypt (see room-load.ts).
 */
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { types } from 'mediasoup';

export const AUDIO_PACKETS_PER_SECOND = 50;
export const VIDEO_FPS = 30;
/** Chromium's packetizer fills packets up to about this many payload bytes. */
const MAX_VIDEO_PAYLOAD = 1200;
/** Opus at about 32 kbit/s in 20 ms frames. */
const OPUS_PAYLOAD_BYTES = 80;
/** Every layer starts a new keyframe this often, so that a new consumer starts without asking (the sender reads no RTCP). */
const KEYFRAME_INTERVAL_MS = 2000;
const KEYFRAME_SIZE_FACTOR = 4;
const AUDIO_PT = 100;
const VIDEO_PT = 101;
const AUDIO_LEVEL_EXT_ID = 1;
const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
/** How often the sender sends what is due: about as often as a browser's pacer. */
const TICK_MS = 2;

/** What a party sends: its simulcast layers' bit rates (one entry: no simulcast). */
export type PartySpec = { videoKbps: number[] };
export type Address = { ip: string; port: number };

/** One RTP stream: its SSRC, sequence numbers and timestamps, from random starts as a browser's. */
class RtpStream {
	readonly ssrc = randomBytes(4).readUInt32BE();
	#seq = randomBytes(2).readUInt16BE();
	readonly #timestampBase = randomBytes(4).readUInt32BE();

	nextSeq(): number {
		return this.#seq++ & 0xffff;
	}

	timestamp(ticks: number): number {
		return (this.#timestampBase + ticks) >>> 0;
	}
}

/** One party on its send transport(s): the streams, and the producers' RTP parameters that describe them. */
export class Party {
	readonly spec: PartySpec;
	readonly targets: Address[];
	readonly audio = new RtpStream();
	readonly video: RtpStream[];
	/** When the keyframes fall: staggered, as parties do not start together. */
	readonly #keyframePhase = Math.random() * KEYFRAME_INTERVAL_MS;

	constructor(spec: PartySpec, targets: Address[]) {
		this.spec = spec;
		this.targets = targets;
		this.video = spec.videoKbps.map(() => new RtpStream());
	}

	get audioParameters(): types.RtpParameters {
		return {
			codecs: [
				{
					mimeType: 'audio/opus',
					payloadType: AUDIO_PT,
					clockRate: 48000,
					channels: 2,
					parameters: { useinbandfec: 1, usedtx: 1 }
				}
			],
			headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: AUDIO_LEVEL_EXT_ID }],
			encodings: [{ ssrc: this.audio.ssrc }],
			rtcp: { cname: this.#cname }
		};
	}

	/** All the layers in one simulcast producer, or only `layer`'s stream. */
	videoParameters(layer?: number): types.RtpParameters {
		const layers = layer === undefined ? this.video.map((_, i) => i) : [layer];
		return {
			codecs: [
				{
					mimeType: 'video/VP8',
					payloadType: VIDEO_PT,
					clockRate: 90000,
					rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }]
				}
			],
			encodings: layers.map((i) => ({ ssrc: this.video[i].ssrc, maxBitrate: this.spec.videoKbps[i] * 1000 })),
			rtcp: { cname: this.#cname }
		};
	}

	get #cname(): string {
		return `party-${this.audio.ssrc}`;
	}

	/** The packets due in (from, to], in ms since the sender started. */
	*packets(from: number, to: number): Generator<Buffer> {
		for (let n = Math.floor(from / 20) + 1; n <= Math.floor(to / 20); n++) yield this.#audioPacket(n);
		const frameMs = 1000 / VIDEO_FPS;
		for (let n = Math.floor(from / frameMs) + 1; n <= Math.floor(to / frameMs); n++) {
			const at = n * frameMs + this.#keyframePhase;
			const keyframe = Math.floor(at / KEYFRAME_INTERVAL_MS) !== Math.floor((at - frameMs) / KEYFRAME_INTERVAL_MS);
			for (const [layer, stream] of this.video.entries()) {
				yield* videoFrame(stream, this.spec.videoKbps[layer], n, keyframe);
			}
		}
	}

	#audioPacket(n: number): Buffer {
		const packet = rtpPacket(this.audio, AUDIO_PT, false, n * 960, 8, OPUS_PAYLOAD_BYTES);
		// One-byte header extension (RFC 8285) with the audio level, moving between speech and near silence.
		const level = 20 + Math.round(40 * Math.abs(Math.sin(n / 25)));
		packet.set([0xbe, 0xde, 0x00, 0x01, AUDIO_LEVEL_EXT_ID << 4, level, 0, 0], 12);
		packet[0] |= 0x10;
		return packet;
	}
}

/**
 * A VP8 frame as Chromium packetizes it: each packet with the payload descriptor (picture id,
 * TL0PICIDX, TID), the frame's first also with the VP8 payload header, the last with the marker.
 */
function* videoFrame(stream: RtpStream, kbps: number, n: number, keyframe: boolean): Generator<Buffer> {
	const bytes = frameBytes(kbps, keyframe);
	const count = Math.ceil(bytes / MAX_VIDEO_PAYLOAD);
	const pictureId = n & 0x7fff;
	for (let i = 0; i < count; i++) {
		const packet = rtpPacket(stream, VIDEO_PT, i === count - 1, n * 3000, 6, Math.round(bytes / count));
		// X, S on the first packet (partition 0); I, L, T; the 15-bit picture id; TL0PICIDX; TID 0 with Y.
		packet.set([i === 0 ? 0x90 : 0x80, 0xe0, 0x80 | (pictureId >> 8), pictureId & 0xff, n & 0xff, 0x20], 12);
		// Bit 0 of the VP8 payload header is 0 on a keyframe: what mediasoup checks. A keyframe also has the start code.
		if (i === 0) packet[18] = keyframe ? 0x10 : 0x11;
		if (i === 0 && keyframe) packet.set([0x9d, 0x01, 0x2a], 21);
		yield packet;
	}
}

/** Bytes of a frame at `kbps`: keyframes are bigger, and the other frames smaller by as much, to keep the rate. */
function frameBytes(kbps: number, keyframe: boolean): number {
	const average = (kbps * 1000) / 8 / VIDEO_FPS;
	const framesPerKey = (KEYFRAME_INTERVAL_MS / 1000) * VIDEO_FPS;
	const delta = (average * framesPerKey) / (framesPerKey - 1 + KEYFRAME_SIZE_FACTOR);
	return Math.round(keyframe ? delta * KEYFRAME_SIZE_FACTOR : delta);
}

/** Packets a party sends per second on average: audio, and each video layer's. */
export function packetsPerSecond(spec: PartySpec): { audio: number; video: number[] } {
	const framesPerKey = (KEYFRAME_INTERVAL_MS / 1000) * VIDEO_FPS;
	const packets = (kbps: number, keyframe: boolean) => Math.ceil(frameBytes(kbps, keyframe) / MAX_VIDEO_PAYLOAD);
	return {
		audio: AUDIO_PACKETS_PER_SECOND,
		video: spec.videoKbps.map(
			(kbps) => ((packets(kbps, true) + (framesPerKey - 1) * packets(kbps, false)) / framesPerKey) * VIDEO_FPS
		)
	};
}

const NOISE = randomBytes(64 * 1024);

/**
 * An RTP packet in one buffer: the 12-byte header, `prefix` bytes for the caller to fill (header
 * extension or payload descriptor), then `payload` bytes that do not compress.
 */
function rtpPacket(
	stream: RtpStream,
	payloadType: number,
	marker: boolean,
	ticks: number,
	prefix: number,
	payload: number
): Buffer {
	const packet = Buffer.allocUnsafe(12 + prefix + payload);
	packet[0] = 0x80;
	packet[1] = (marker ? 0x80 : 0) | payloadType;
	packet.writeUInt16BE(stream.nextSeq(), 2);
	packet.writeUInt32BE(stream.timestamp(ticks), 4);
	packet.writeUInt32BE(stream.ssrc, 8);
	const offset = Math.floor(Math.random() * (NOISE.length - payload));
	NOISE.copy(packet, 12 + prefix, offset, offset + payload);
	return packet;
}

/** Plays every party added, from one UDP socket: each send transport is connected to it. */
export class RtpSender {
	readonly #socket: Socket = createSocket('udp4');
	readonly #parties = new Set<Party>();
	#timer: NodeJS.Timeout | undefined;
	#started = 0;
	#sentUpTo = 0;

	async start(): Promise<void> {
		await bind(this.#socket);
		// The worker's receiver reports and keyframe requests come here; the sender ignores them.
		this.#socket.on('message', () => {});
		this.#started = performance.now();
		this.#timer = setInterval(() => this.#tick(), TICK_MS);
	}

	get address(): Address {
		return addressOf(this.#socket);
	}

	/** A party sending the same packets to each transport listening at `targets`, from the next tick on. */
	addParty(spec: PartySpec, targets: Address[]): Party {
		const party = new Party(spec, targets);
		this.#parties.add(party);
		return party;
	}

	/** Sends everything due since the last tick: a late timer sends a burst, as a busy browser would. */
	#tick(): void {
		const now = performance.now() - this.#started;
		for (const party of this.#parties) {
			for (const packet of party.packets(this.#sentUpTo, now)) {
				for (const target of party.targets) this.#socket.send(packet, target.port, target.ip);
			}
		}
		this.#sentUpTo = now;
	}

	async stop(): Promise<void> {
		clearInterval(this.#timer);
		await close(this.#socket);
	}
}

/**
 * Where consumers' transports send: a UDP socket in a child process whose event loop is kept
 * blocked, so that nothing ever reads it and it costs no CPU. The kernel drops what does not fit
 * in its buffer; what the worker forwards is counted from the worker's own statistics.
 */
export class DiscardSink {
	#child: ChildProcess | undefined;
	#address: Address | undefined;

	async start(): Promise<void> {
		const child = spawn(process.execPath, ['--input-type=commonjs', '-e', DISCARD_SINK], {
			stdio: ['ignore', 'pipe', 'inherit']
		});
		this.#child = child;
		process.once('exit', () => child.kill('SIGKILL'));
		const [line] = (await once(child.stdout!, 'data')) as [Buffer];
		this.#address = { ip: '127.0.0.1', port: Number(line.toString().trim()) };
	}

	get address(): Address {
		return this.#address!;
	}

	stop(): void {
		this.#child?.kill('SIGKILL');
	}
}

/** The sink's program: bind, say the port, then block (waking each second to follow a parent that went away). */
const DISCARD_SINK = `
const socket = require('node:dgram').createSocket('udp4');
socket.bind(0, '127.0.0.1', () => {
	process.stdout.write(socket.address().port + '\\n', () => {
		const parent = process.ppid;
		const cell = new Int32Array(new SharedArrayBuffer(4));
		while (process.ppid === parent) Atomics.wait(cell, 0, 0, 1000);
		process.exit(0);
	});
});`;

async function bind(socket: Socket): Promise<void> {
	await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
	// Bursts from hundreds of streams at once must not overflow the buffers.
	socket.setRecvBufferSize(8 * 1024 * 1024);
	socket.setSendBufferSize(8 * 1024 * 1024);
}

const addressOf = (socket: Socket): Address => ({ ip: '127.0.0.1', port: (socket.address() as AddressInfo).port });
const close = (socket: Socket) => new Promise<void>((resolve) => socket.close(() => resolve()));

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Busy and total jiffies of the whole machine, from /proc/stat, to tell whether it had CPU to spare. */
export function machineTicks(): { busy: number; total: number } {
	const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
	const ticks = values.map(Number);
	const total = ticks.reduce((a, b) => a + b, 0);
	// idle and iowait
	return { busy: total - ticks[3] - ticks[4], total };
}
