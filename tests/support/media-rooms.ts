/**
 * Rooms on real mediasoup workers, without a browser: producers are made from hand-written RTP
 * parameters (a transport produces before any DTLS handshake), which is enough to prove who the
 * server lets consume what.
 */
import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { loadConfig } from '#server/config.ts';
import type { PeerInfo } from '#server/media/peer.ts';
import { Room, type RoomEvents } from '#server/media/room.ts';
import { WorkerPool } from '#server/media/worker-pool.ts';
import { AppError, type ErrorCode } from '#shared/errors.ts';
import type { MediaSource } from '#shared/realtime-events.ts';

export const mediator: PeerInfo = { id: 'mediator', displayName: '王调解员', role: 'mediator', host: true };
export const partyA: PeerInfo = { id: 'party-a', displayName: '张三', role: 'party', host: false };
export const partyB: PeerInfo = { id: 'party-b', displayName: '李四', role: 'party', host: false };
export const expert: PeerInfo = { id: 'expert', displayName: '赵律师', role: 'legal_expert', host: false };
export const observer: PeerInfo = { id: 'observer', displayName: '见习调解员', role: 'observer', host: false };

export const media = (workers: number) => ({ ...loadConfig({ MEDIA_WORKERS: String(workers) }).media });

let ssrc = 1000;
const opus = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
const vp8 = {
	mimeType: 'video/VP8',
	payloadType: 101,
	clockRate: 90000,
	rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }]
};

/** What a browser would send: Opus for the microphone, VP8 in three simulcast encodings for camera and screen. */
export function rtpParameters(source: MediaSource): types.RtpParameters {
	if (source === 'mic') {
		return {
			codecs: [{ ...opus, parameters: { useinbandfec: 1, usedtx: 1 } }],
			encodings: [{ ssrc: ssrc++ }],
			rtcp: { cname: source }
		};
	}
	return { codecs: [vp8], encodings: [{ ssrc: ssrc++ }, { ssrc: ssrc++ }, { ssrc: ssrc++ }], rtcp: { cname: source } };
}
export const kindOf = (source: MediaSource) => (source === 'mic' ? 'audio' : 'video');

let pool: WorkerPool | undefined;
const opened: { close(): void }[] = [];

/** Gives the calling spec file a pool of two workers, and closes what each of its tests opened. */
export function useWorkerPool(): void {
	beforeAll(async () => {
		pool = await WorkerPool.create(media(2));
	});
	afterAll(() => pool?.close());
	afterEach(() => {
		for (const thing of opened.splice(0).reverse()) thing.close();
	});
}

/** The spec file's pool (see `useWorkerPool`). */
export function workerPool(): WorkerPool {
	if (!pool) throw new Error('no worker pool: call useWorkerPool() in the spec file');
	return pool;
}

/** A room or pool the test opened itself, closed after it. */
export function closeAfterTest<T extends { close(): void }>(thing: T): T {
	opened.push(thing);
	return thing;
}

export async function createRoom(on = workerPool()): Promise<Room> {
	return closeAfterTest(await Room.create(randomUUID(), on));
}

/** A room with these peers all admitted to the joint space by the first of them, a mediator. */
export async function jointRoom(peers: PeerInfo[], on = workerPool()): Promise<Room> {
	const room = await createRoom(on);
	for (const peer of peers) room.join(peer);
	for (const peer of peers.slice(1)) if (peer.role !== 'mediator') room.admit(peers[0].id, peer.id);
	return room;
}

/** Gives the peer a send and a receive transport and a producer for each source; returns the producers' ids. */
export async function produce(room: Room, peerId: string, ...sources: MediaSource[]): Promise<Record<string, string>> {
	const send = await room.createTransport(peerId, 'send');
	await room.createTransport(peerId, 'recv');
	const ids: Record<string, string> = {};
	for (const source of sources) {
		ids[source] = (await room.produce(peerId, send.id, kindOf(source), rtpParameters(source), { source })).id;
	}
	return ids;
}

export const consume = (room: Room, peerId: string, producerId: string) =>
	room.consume(peerId, producerId, room.rtpCapabilities);

export function peerIn(room: Room, peerId: string) {
	const peer = room.dump().peers.find((p) => p.id === peerId);
	if (!peer) throw new Error(`${peerId} is not in the room`);
	return peer;
}

/** The producers a peer holds a consumer of. */
export const consumedBy = (room: Room, peerId: string) =>
	peerIn(room, peerId)
		.consumers.map((c) => c.producerId)
		.sort();

export async function codeOf(action: () => unknown): Promise<ErrorCode | undefined> {
	try {
		await action();
	} catch (error) {
		expect(error).toBeInstanceOf(AppError);
		return (error as AppError).code;
	}
	return undefined;
}

/** What the room emitted, by event: the recipients and the payload of each. */
export function emitted(room: Room) {
	const spy = vi.spyOn(room, 'safeEmit');
	return <E extends keyof RoomEvents>(event: E) =>
		spy.mock.calls.filter((call) => call[0] === event).map((call) => call.slice(1) as RoomEvents[E]);
}
