/**
 * Rooms on real mediasoup workers, without a browser: producers are made from hand-written RTP
 * parameters (a transport produces before any DTLS handshake), which is enough to prove who the
 * server lets consume what.
 */
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { types } from 'mediasoup';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { loadConfig } from '#server/config.ts';
import { Room, type RoomEvents } from '#server/media/room.ts';
import { WorkerPool } from '#server/media/worker-pool.ts';
import type { PeerInfo } from '#server/media/peer.ts';
import type { MediaSource } from '#shared/realtime-events.ts';
import { AppError, type ErrorCode } from '#shared/errors.ts';

const mediator: PeerInfo = { id: 'mediator', displayName: '王调解员', role: 'mediator', host: true };
const partyA: PeerInfo = { id: 'party-a', displayName: '张三', role: 'party', host: false };
const partyB: PeerInfo = { id: 'party-b', displayName: '李四', role: 'party', host: false };
const expert: PeerInfo = { id: 'expert', displayName: '赵律师', role: 'legal_expert', host: false };
const observer: PeerInfo = { id: 'observer', displayName: '见习调解员', role: 'observer', host: false };

const media = (workers: number) => ({ ...loadConfig({ MEDIA_WORKERS: String(workers) }).media });

let ssrc = 1000;
const opus = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
const vp8 = {
	mimeType: 'video/VP8',
	payloadType: 101,
	clockRate: 90000,
	rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }]
};

/** What a browser would send: Opus for the microphone, VP8 in three simulcast encodings for camera and screen. */
function rtpParameters(source: MediaSource): types.RtpParameters {
	if (source === 'mic') {
		return {
			codecs: [{ ...opus, parameters: { useinbandfec: 1, usedtx: 1 } }],
			encodings: [{ ssrc: ssrc++ }],
			rtcp: { cname: source }
		};
	}
	return { codecs: [vp8], encodings: [{ ssrc: ssrc++ }, { ssrc: ssrc++ }, { ssrc: ssrc++ }], rtcp: { cname: source } };
}
const kindOf = (source: MediaSource) => (source === 'mic' ? 'audio' : 'video');

let pool: WorkerPool;
const opened: { close(): void }[] = [];

beforeAll(async () => {
	pool = await WorkerPool.create(media(2));
});
afterAll(() => pool.close());
afterEach(() => {
	for (const thing of opened.splice(0).reverse()) thing.close();
});

async function createRoom(on = pool): Promise<Room> {
	const room = await Room.create(randomUUID(), on);
	opened.push(room);
	return room;
}

/** A room with these peers all admitted to the joint space by the first of them, a mediator. */
async function jointRoom(peers: PeerInfo[], on = pool): Promise<Room> {
	const room = await createRoom(on);
	for (const peer of peers) room.join(peer);
	for (const peer of peers.slice(1)) if (peer.role !== 'mediator') room.admit(peers[0].id, peer.id);
	return room;
}

/** Gives the peer a send and a receive transport and a producer for each source; returns the producers' ids. */
async function produce(room: Room, peerId: string, ...sources: MediaSource[]): Promise<Record<string, string>> {
	const send = await room.createTransport(peerId, 'send');
	await room.createTransport(peerId, 'recv');
	const ids: Record<string, string> = {};
	for (const source of sources) {
		ids[source] = (await room.produce(peerId, send.id, kindOf(source), rtpParameters(source), { source })).id;
	}
	return ids;
}

const consume = (room: Room, peerId: string, producerId: string) =>
	room.consume(peerId, producerId, room.rtpCapabilities);

function peerIn(room: Room, peerId: string) {
	const peer = room.dump().peers.find((p) => p.id === peerId);
	if (!peer) throw new Error(`${peerId} is not in the room`);
	return peer;
}

/** The producers a peer holds a consumer of. */
const consumedBy = (room: Room, peerId: string) =>
	peerIn(room, peerId)
		.consumers.map((c) => c.producerId)
		.sort();

async function codeOf(action: () => unknown): Promise<ErrorCode | undefined> {
	try {
		await action();
	} catch (error) {
		expect(error).toBeInstanceOf(AppError);
		return (error as AppError).code;
	}
	return undefined;
}

/** What the room emitted, by event: the recipients and the payload of each. */
function emitted(room: Room) {
	const spy = vi.spyOn(room, 'safeEmit');
	return <E extends keyof RoomEvents>(event: E) =>
		spy.mock.calls.filter((call) => call[0] === event).map((call) => call.slice(1) as RoomEvents[E]);
}

describe('lobby', () => {
	test('mediators start in the joint space, everyone else in the lobby, where nothing is sent or received', async () => {
		const room = await createRoom();
		const joined = room.join(mediator);
		expect(joined.self.space).toBe('joint');
		const { mic } = await produce(room, mediator.id, 'mic');

		const waiting = room.join(partyA);
		expect(waiting).toMatchObject({ peer: { space: 'lobby' }, peers: [{ id: partyA.id }], producers: [] });
		expect(waiting.rtpCapabilities.codecs?.map((c) => c.mimeType)).toContain('audio/opus');

		expect(await codeOf(() => room.createTransport(partyA.id, 'send'))).toBe('FORBIDDEN');
		expect(await codeOf(() => room.produce(partyA.id, 'any', 'audio', rtpParameters('mic'), { source: 'mic' }))).toBe(
			'FORBIDDEN'
		);
		expect(await codeOf(() => consume(room, partyA.id, mic))).toBe('FORBIDDEN');
		expect(peerIn(room, partyA.id)).toMatchObject({ transports: [], producers: [], consumers: [] });
	});

	test('the mediator admits; the admitted peer is told of the joint producers and consumes them', async () => {
		const room = await jointRoom([mediator]);
		const { mic, camera } = await produce(room, mediator.id, 'mic', 'camera');
		room.join(partyA);
		const events = emitted(room);

		room.admit(mediator.id, partyA.id);

		expect(events('peerMoved')).toEqual([
			[[mediator.id, partyA.id], { peerId: partyA.id, from: 'lobby', space: 'joint' }]
		]);
		expect(events('newProducer').map(([to, p]) => [to, p.id])).toEqual([
			[[partyA.id], mic],
			[[partyA.id], camera]
		]);
		await room.createTransport(partyA.id, 'recv');
		expect(await codeOf(() => room.consume(partyA.id, camera, { codecs: 'VP8' } as never))).toBe('VALIDATION');
		const consumer = await consume(room, partyA.id, camera);
		expect(consumer).toMatchObject({ producerId: camera, peerId: mediator.id, source: 'camera', type: 'simulcast' });
		expect(peerIn(room, partyA.id).consumers).toEqual([expect.objectContaining({ id: consumer.id, paused: true })]);
		await room.resumeConsumer(partyA.id, consumer.id);
		expect(peerIn(room, partyA.id).consumers[0].paused).toBe(false);
	});

	test('sending a peer back to the lobby closes its media both ways, transports included', async () => {
		const room = await jointRoom([mediator, partyA]);
		const m = await produce(room, mediator.id, 'mic');
		const a = await produce(room, partyA.id, 'mic');
		await consume(room, mediator.id, a.mic);
		await consume(room, partyA.id, m.mic);
		const events = emitted(room);

		room.sendToLobby(mediator.id, partyA.id);

		expect(peerIn(room, partyA.id)).toMatchObject({ space: 'lobby', transports: [], producers: [], consumers: [] });
		expect(consumedBy(room, mediator.id)).toEqual([]);
		expect(events('consumerClosed').map(([to, c]) => [to, c.producerId, c.reason])).toEqual(
			expect.arrayContaining([
				[[mediator.id], a.mic, 'moved'],
				[[partyA.id], m.mic, 'moved']
			])
		);
		expect(events('producerClosed').map(([to, p]) => [to, p.producerId])).toEqual(
			expect.arrayContaining([
				[[mediator.id], a.mic],
				[[partyA.id], m.mic]
			])
		);
		expect(await codeOf(() => consume(room, partyA.id, m.mic))).toBe('FORBIDDEN');
	});

	test('a refused or removed peer leaves and cannot join again under the same id', async () => {
		const room = await jointRoom([mediator, partyA]);
		const a = await produce(room, partyA.id, 'mic');
		await room.createTransport(mediator.id, 'recv');
		await consume(room, mediator.id, a.mic);
		room.join(partyB);
		const events = emitted(room);

		expect(await codeOf(() => room.refuse(mediator.id, partyA.id))).toBe('CONFLICT');
		room.refuse(mediator.id, partyB.id);
		room.remove(mediator.id, partyA.id);

		expect(events('peerLeft')).toEqual([
			[[mediator.id, partyA.id, partyB.id], { peerId: partyB.id, reason: 'refused' }],
			[[mediator.id, partyA.id], { peerId: partyA.id, reason: 'removed' }]
		]);
		expect(events('consumerClosed')).toEqual([
			[[mediator.id], expect.objectContaining({ producerId: a.mic, reason: 'producerClosed' })]
		]);
		expect(room.dump().peers.map((p) => p.id)).toEqual([mediator.id]);
		expect(await codeOf(() => room.join(partyA))).toBe('FORBIDDEN');
		expect(await codeOf(() => room.join(partyB))).toBe('FORBIDDEN');
	});

	test('joining again under the same id takes over the place: old media closed, space kept', async () => {
		const room = await jointRoom([mediator, partyA, partyB]);
		const m = await produce(room, mediator.id, 'mic');
		const a = await produce(room, partyA.id, 'mic');
		await consume(room, mediator.id, a.mic);
		const caucus = room.openCaucus(mediator.id, [partyA.id]);
		const events = emitted(room);

		const again = room.join(partyA);

		expect(again.self.space).toBe(caucus);
		expect(again.producers.map((p) => p.id)).toEqual([m.mic]);
		expect(peerIn(room, partyA.id)).toMatchObject({ transports: [], producers: [] });
		expect(events('consumerClosed')).toEqual([
			[[mediator.id], expect.objectContaining({ producerId: a.mic, reason: 'producerClosed' })]
		]);
		room.leave(partyA.id);
		expect(room.dump().caucuses).toEqual([caucus]);
		expect(room.dump().peers.map((p) => p.id)).toEqual([mediator.id, partyB.id]);
		expect(await codeOf(() => room.leave(partyA.id))).toBe('NOT_FOUND');
	});
});

describe('joint space and caucus', () => {
	test('peers in the joint space consume each other', async () => {
		const room = await jointRoom([mediator, partyA, partyB]);
		const m = await produce(room, mediator.id, 'mic', 'camera');
		const a = await produce(room, partyA.id, 'mic', 'screen');
		const b = await produce(room, partyB.id, 'mic');

		for (const id of [...Object.values(a), ...Object.values(b)]) await consume(room, mediator.id, id);
		for (const id of [...Object.values(m), b.mic]) await consume(room, partyA.id, id);

		expect(consumedBy(room, mediator.id)).toEqual([a.mic, a.screen, b.mic].sort());
		expect(consumedBy(room, partyA.id)).toEqual([m.mic, m.camera, b.mic].sort());
		expect(await codeOf(() => consume(room, partyA.id, m.mic))).toBe('CONFLICT');
		expect(await codeOf(() => consume(room, partyA.id, a.mic))).toBe('VALIDATION');
	});

	test('a caucus is closed to the others both ways, and closing it restores the joint media', async () => {
		const room = await jointRoom([mediator, partyA, partyB, expert]);
		const ids = {
			[mediator.id]: (await produce(room, mediator.id, 'mic')).mic,
			[partyA.id]: (await produce(room, partyA.id, 'mic')).mic,
			[partyB.id]: (await produce(room, partyB.id, 'mic')).mic,
			[expert.id]: (await produce(room, expert.id, 'mic')).mic
		};
		const all = [mediator, partyA, partyB, expert].map((p) => p.id);
		for (const peerId of all) for (const other of all) if (other !== peerId) await consume(room, peerId, ids[other]);
		const events = emitted(room);

		const caucus = room.openCaucus(mediator.id, [partyA.id, expert.id]);

		const inCaucus = [mediator.id, partyA.id, expert.id];
		expect(room.dump().caucuses).toEqual([caucus]);
		expect(inCaucus.map((id) => peerIn(room, id).space)).toEqual([caucus, caucus, caucus]);
		expect(peerIn(room, partyB.id).space).toBe('joint');
		// B holds nothing of the caucus, and the caucus nothing of B; the caucus keeps its own media.
		expect(consumedBy(room, partyB.id)).toEqual([]);
		for (const id of inCaucus) {
			expect(consumedBy(room, id)).toEqual(
				inCaucus
					.filter((other) => other !== id)
					.map((other) => ids[other])
					.sort()
			);
		}
		expect(await codeOf(() => consume(room, partyB.id, ids[partyA.id]))).toBe('FORBIDDEN');
		expect(await codeOf(() => consume(room, partyA.id, ids[partyB.id]))).toBe('FORBIDDEN');
		expect(events('consumerClosed').every(([, c]) => c.reason === 'moved')).toBe(true);
		expect(events('consumerClosed')).toHaveLength(6);
		expect(events('newProducer')).toEqual([]);
		expect(events('producerClosed').map(([to, p]) => [to, p.peerId])).toEqual([
			[[partyB.id], mediator.id],
			[[partyB.id], partyA.id],
			[inCaucus, partyB.id],
			[[partyB.id], expert.id]
		]);

		const moreEvents = emitted(room);
		room.closeCaucus(mediator.id, caucus);

		expect(room.dump().caucuses).toEqual([]);
		expect(all.map((id) => peerIn(room, id).space)).toEqual(['joint', 'joint', 'joint', 'joint']);
		const announced = moreEvents('newProducer').map(([to, p]) => [to, p.peerId]);
		expect(announced).toEqual(
			expect.arrayContaining([
				[[partyB.id], mediator.id],
				[[partyB.id], partyA.id],
				[[partyB.id], expert.id],
				[inCaucus, partyB.id]
			])
		);
		expect(announced).toHaveLength(4);
		await consume(room, partyB.id, ids[partyA.id]);
		await consume(room, partyA.id, ids[partyB.id]);
		expect(consumedBy(room, partyB.id)).toEqual([ids[partyA.id]]);
	});

	test('opening a second caucus leaves the first one to its remaining member, isolated', async () => {
		const room = await jointRoom([mediator, partyA, partyB]);
		const a = await produce(room, partyA.id, 'mic');
		await produce(room, partyB.id, 'mic');
		const first = room.openCaucus(mediator.id, [partyA.id]);
		const second = room.openCaucus(mediator.id, [partyB.id]);

		expect(room.dump().caucuses).toEqual([first, second]);
		expect(peerIn(room, partyA.id).space).toBe(first);
		expect(await codeOf(() => consume(room, mediator.id, a.mic))).toBe('FORBIDDEN');
		expect(await codeOf(() => consume(room, partyB.id, a.mic))).toBe('FORBIDDEN');

		room.closeCaucus(mediator.id, first);
		expect(room.dump().caucuses).toEqual([second]);
		expect(await codeOf(() => room.closeCaucus(mediator.id, first))).toBe('NOT_FOUND');
	});

	test('a caucus whose members all dropped waits for them, and each returns to it', async () => {
		const room = await jointRoom([mediator, partyA, partyB]);
		const caucus = room.openCaucus(mediator.id, [partyA.id]);
		room.drop(partyA.id);
		room.drop(mediator.id);
		expect(room.dump().caucuses).toEqual([caucus]);

		expect(room.join(partyA).self.space).toBe(caucus);
		expect(room.join(mediator).self.space).toBe(caucus);
		// Closed while one of them is away, it sends them back to the joint space too.
		room.drop(partyA.id);
		room.closeCaucus(mediator.id, caucus);
		expect(room.dump().caucuses).toEqual([]);
		expect(room.join(partyA).self.space).toBe('joint');
	});

	test('where peers are is told as it changes, and a room opened with it returns them there', async () => {
		const room = await jointRoom([mediator, partyA, partyB]);
		const places = emitted(room);
		const caucus = room.openCaucus(mediator.id, [partyA.id]);
		room.drop(partyB.id);
		room.leave(partyA.id);
		expect(places('placeChanged')).toEqual([
			[mediator.id, { space: caucus, present: true }],
			[partyA.id, { space: caucus, present: true }],
			[partyB.id, { space: 'joint', present: false }],
			[partyA.id, null]
		]);

		const reopened = await Room.create(
			randomUUID(),
			pool,
			new Map([
				[mediator.id, caucus],
				[partyB.id, 'joint']
			])
		);
		opened.push(reopened);
		expect(reopened.join(partyB).self.space).toBe('joint');
		expect(reopened.join(partyA).self.space).toBe('lobby');
		expect(reopened.join(mediator).self.space).toBe(caucus);
		expect(reopened.dump().caucuses).toEqual([caucus]);
	});

	test('only peers out of the lobby can be taken into a caucus', async () => {
		const room = await jointRoom([mediator, partyA]);
		room.join(partyB);
		expect(await codeOf(() => room.openCaucus(mediator.id, [partyA.id, partyB.id]))).toBe('CONFLICT');
		expect(await codeOf(() => room.openCaucus(mediator.id, []))).toBe('VALIDATION');
		expect(await codeOf(() => room.openCaucus(mediator.id, [mediator.id]))).toBe('VALIDATION');
		expect(await codeOf(() => room.openCaucus(mediator.id, ['nobody']))).toBe('NOT_FOUND');
		expect(room.dump().caucuses).toEqual([]);
	});

	test('the simulcast layer of each consumer follows its tile', async () => {
		const room = await jointRoom([mediator, partyA]);
		const { camera } = await produce(room, mediator.id, 'camera');
		await room.createTransport(partyA.id, 'recv');
		const consumer = await consume(room, partyA.id, camera);

		await room.setPreferredLayers(partyA.id, consumer.id, 0);
		expect(peerIn(room, partyA.id).consumers[0].spatialLayer).toBe(0);
		expect(await codeOf(() => room.setPreferredLayers(partyA.id, consumer.id, 3))).toBe('VALIDATION');
		expect(await codeOf(() => room.setPreferredLayers(mediator.id, consumer.id, 1))).toBe('NOT_FOUND');
	});
});

describe('who may do what', () => {
	test("a peer cannot use another room's or another peer's transport, producer or consumer ids", async () => {
		const roomA = await jointRoom([mediator, partyA]);
		const roomB = await jointRoom([mediator, partyB]);
		const inA = await produce(roomA, partyA.id, 'mic');
		const sendB = await roomB.createTransport(partyB.id, 'send');
		const inB = (await roomB.produce(partyB.id, sendB.id, 'audio', rtpParameters('mic'), { source: 'mic' })).id;
		await roomB.createTransport(mediator.id, 'recv');
		const consumerB = await consume(roomB, mediator.id, inB);

		const dtls = sendB.dtlsParameters;
		expect(await codeOf(() => roomA.connectTransport(partyA.id, sendB.id, dtls))).toBe('NOT_FOUND');
		expect(await codeOf(() => roomA.restartIce(partyA.id, sendB.id))).toBe('NOT_FOUND');
		expect(
			await codeOf(() => roomA.produce(partyA.id, sendB.id, 'audio', rtpParameters('mic'), { source: 'camera' }))
		).toBe('NOT_FOUND');
		expect(await codeOf(() => consume(roomA, mediator.id, inB))).toBe('NOT_FOUND');
		expect(await codeOf(() => roomA.resumeConsumer(mediator.id, consumerB.id))).toBe('NOT_FOUND');
		expect(await codeOf(() => roomA.closeProducer(partyA.id, inB))).toBe('NOT_FOUND');
		expect(await codeOf(() => roomB.closeProducer(partyB.id, inA.mic))).toBe('NOT_FOUND');
		expect(await codeOf(() => roomB.createTransport(partyA.id, 'recv'))).toBe('NOT_FOUND');
		// The mediator of room A is a stranger to room B's peers' ids, and a party to another party's.
		expect(await codeOf(() => roomA.closeProducer(mediator.id, inA.mic))).toBe('NOT_FOUND');
		expect(await codeOf(() => roomB.resumeConsumer(partyB.id, consumerB.id))).toBe('NOT_FOUND');
		expect(peerIn(roomA, partyA.id).producers).toHaveLength(1);
	});

	test('the mediator mutes by pausing the producer on the server, and the space is told', async () => {
		const room = await jointRoom([mediator, partyA, partyB]);
		const a = await produce(room, partyA.id, 'mic');
		await room.createTransport(partyB.id, 'recv');
		await consume(room, partyB.id, a.mic);
		const events = emitted(room);

		await room.mute(mediator.id, partyA.id, 'mic');

		expect(peerIn(room, partyA.id).producers).toEqual([{ id: a.mic, source: 'mic', paused: true }]);
		expect(events('peerMuted')).toEqual([
			[
				[mediator.id, partyA.id, partyB.id],
				{ peerId: partyA.id, byPeerId: mediator.id, source: 'mic', producerId: a.mic }
			]
		]);
		expect(await codeOf(() => room.mute(mediator.id, partyA.id, 'camera'))).toBe('NOT_FOUND');
		await room.resumeProducer(partyA.id, a.mic);
		expect(peerIn(room, partyA.id).producers[0].paused).toBe(false);
	});

	test('only a mediator admits, refuses, sends back, removes, mutes and opens or closes a caucus', async () => {
		const room = await jointRoom([mediator, partyA, partyB, expert]);
		await produce(room, partyB.id, 'mic');
		room.join(observer);
		const caucus = room.openCaucus(mediator.id, [partyB.id]);
		const before = room.dump();

		for (const actor of [partyA.id, expert.id]) {
			expect(await codeOf(() => room.admit(actor, observer.id))).toBe('FORBIDDEN');
			expect(await codeOf(() => room.refuse(actor, observer.id))).toBe('FORBIDDEN');
			expect(await codeOf(() => room.sendToLobby(actor, partyB.id))).toBe('FORBIDDEN');
			expect(await codeOf(() => room.remove(actor, partyB.id))).toBe('FORBIDDEN');
			expect(await codeOf(() => room.mute(actor, partyB.id, 'mic'))).toBe('FORBIDDEN');
			expect(await codeOf(() => room.openCaucus(actor, [partyB.id]))).toBe('FORBIDDEN');
			expect(await codeOf(() => room.closeCaucus(actor, caucus))).toBe('FORBIDDEN');
		}
		expect(await codeOf(() => room.admit('stranger', observer.id))).toBe('NOT_FOUND');
		expect(await codeOf(() => room.sendToLobby(mediator.id, mediator.id))).toBe('FORBIDDEN');
		expect(room.dump()).toEqual(before);
	});

	test('a transport is connected once, by its own peer', async () => {
		const room = await jointRoom([mediator, partyA]);
		const { id } = await room.createTransport(partyA.id, 'send');
		const dtlsParameters: types.DtlsParameters = {
			role: 'client',
			fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }]
		};

		expect(await codeOf(() => room.connectTransport(mediator.id, id, dtlsParameters))).toBe('NOT_FOUND');
		expect(await codeOf(() => room.connectTransport(partyA.id, id, 'dtls' as never))).toBe('VALIDATION');
		await room.connectTransport(partyA.id, id, dtlsParameters);
		expect(await codeOf(() => room.connectTransport(partyA.id, id, dtlsParameters))).toBe('CONFLICT');
		expect((await room.restartIce(partyA.id, id)).usernameFragment).toEqual(expect.any(String));
	});

	test('observers watch and listen but do not send', async () => {
		const room = await jointRoom([mediator, observer]);
		const send = await room.createTransport(observer.id, 'send');
		expect(
			await codeOf(() => room.produce(observer.id, send.id, 'audio', rtpParameters('mic'), { source: 'mic' }))
		).toBe('FORBIDDEN');
	});

	test('malformed arguments are refused as VALIDATION before anything is created', async () => {
		const room = await jointRoom([mediator]);
		const send = await room.createTransport(mediator.id, 'send');
		const produceWith = (kind: string, parameters: unknown, source: string) =>
			codeOf(() =>
				room.produce(mediator.id, send.id, kind as 'audio', parameters as types.RtpParameters, {
					source: source as MediaSource
				})
			);

		expect(await produceWith('video', rtpParameters('mic'), 'mic')).toBe('VALIDATION');
		expect(await produceWith('audio', rtpParameters('mic'), 'speaker')).toBe('VALIDATION');
		expect(await produceWith('audio', 'opus please', 'mic')).toBe('VALIDATION');
		expect(await produceWith('audio', { codecs: [], encodings: [] }, 'mic')).toBe('VALIDATION');
		expect(await codeOf(() => room.createTransport(mediator.id, 'both' as 'send'))).toBe('VALIDATION');
		expect(await codeOf(() => room.createTransport(mediator.id, 'send'))).toBe('CONFLICT');
		expect(await codeOf(() => room.join({ ...partyA, role: 'admin' as 'party' }))).toBe('VALIDATION');
		expect(await codeOf(() => room.join({ ...partyA, displayName: ' ' }))).toBe('VALIDATION');
		expect(await codeOf(() => room.admit(mediator.id, 42 as unknown as string))).toBe('VALIDATION');
		expect(peerIn(room, mediator.id).producers).toEqual([]);
	});
});

describe('worker pool', () => {
	test('behind NAT, transports offer UDP and TCP at the announced address, on the configured ports', async () => {
		const config = loadConfig({
			MEDIA_WORKERS: '1',
			MEDIA_LISTEN_IP: '0.0.0.0',
			MEDIA_ANNOUNCED_ADDRESS: 'media.tiaojie.example.gov.cn',
			MEDIA_MIN_PORT: '41000',
			MEDIA_MAX_PORT: '41050'
		});
		const announcing = await WorkerPool.create(config.media);
		try {
			const room = await jointRoom([mediator], announcing);
			for (const direction of ['send', 'recv'] as const) {
				const { iceCandidates } = await room.createTransport(mediator.id, direction);
				expect(iceCandidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
				// A browser connects to the TCP candidate itself: strict networks that drop UDP still get through.
				expect(iceCandidates.find((c) => c.protocol === 'tcp')?.tcpType).toBe('passive');
				for (const candidate of iceCandidates) {
					expect(candidate.address).toBe('media.tiaojie.example.gov.cn');
					expect(candidate.port).toBeGreaterThanOrEqual(41000);
					expect(candidate.port).toBeLessThanOrEqual(41050);
				}
			}
		} finally {
			announcing.close();
		}
	});

	test('rooms are spread over the least loaded workers', async () => {
		const first = await createRoom();
		const second = await createRoom();
		const hosts = pool.dump().map((worker) => worker.roomIds);
		expect(hosts).toHaveLength(2);
		expect(hosts).toEqual(expect.arrayContaining([[first.id], [second.id]]));
	});

	test('a worker killed is replaced; its room gets a new router, keeps its peers where they were, and works', async () => {
		const single = await WorkerPool.create(media(1));
		opened.push(single);
		const room = await jointRoom([mediator, partyA, partyB], single);
		const caucus = room.openCaucus(mediator.id, [partyA.id]);
		await produce(room, mediator.id, 'mic');
		await produce(room, partyA.id, 'mic');
		const [{ pid }] = single.dump();
		const routerId = room.dump().routerId;
		const died = once(single, 'workerDied');
		const rebuilt = once(room, 'rebuilt');

		process.kill(pid, 'SIGKILL');

		expect(await died).toEqual([{ pid, roomIds: [room.id], error: expect.any(Error) }]);
		const [to, { rtpCapabilities }] = (await rebuilt) as RoomEvents['rebuilt'];
		expect(to.sort()).toEqual([mediator.id, partyA.id, partyB.id].sort());
		expect(rtpCapabilities.codecs?.length).toBeGreaterThan(0);
		expect(single.dump()).toEqual([{ pid: expect.any(Number), roomIds: [room.id] }]);
		expect(single.dump()[0].pid).not.toBe(pid);
		expect(room.dump().routerId).not.toBe(routerId);
		expect(room.dump().caucuses).toEqual([caucus]);
		expect(room.dump().peers.map(({ id, space, transports, producers }) => [id, space, transports, producers])).toEqual(
			[
				[mediator.id, caucus, [], []],
				[partyA.id, caucus, [], []],
				[partyB.id, 'joint', [], []]
			]
		);

		const { mic } = await produce(room, partyA.id, 'mic');
		await room.createTransport(mediator.id, 'recv');
		const consumer = await consume(room, mediator.id, mic);
		expect(consumer.producerId).toBe(mic);
		expect(await codeOf(() => consume(room, partyB.id, mic))).toBe('FORBIDDEN');
	});

	test('every worker killed at once: the room keeps trying until a replacement takes it', async () => {
		const own = await WorkerPool.create(media(2));
		opened.push(own);
		const room = await jointRoom([mediator, partyA], own);
		const pids = own.dump().map((worker) => worker.pid);
		const [host] = own.dump().filter((worker) => worker.roomIds.includes(room.id));
		const other = pids.find((pid) => pid !== host.pid)!;
		const rebuilt = once(room, 'rebuilt');

		// The room asks the other worker for a router just as that one dies too.
		own.once('workerDied', () => process.kill(other, 'SIGKILL'));
		process.kill(host.pid, 'SIGKILL');

		await rebuilt;
		await vi.waitFor(() => expect(own.dump().some((worker) => worker.roomIds.includes(room.id))).toBe(true));
		expect(own.dump().map((worker) => worker.pid)).not.toEqual(expect.arrayContaining(pids));
		expect(room.closed).toBe(false);
		const { mic } = await produce(room, partyA.id, 'mic');
		await room.createTransport(mediator.id, 'recv');
		expect((await consume(room, mediator.id, mic)).producerId).toBe(mic);
	});

	test('closing the pool closes its rooms', async () => {
		const own = await WorkerPool.create(media(1));
		const room = await Room.create(randomUUID(), own);
		const closed = once(room, 'close');
		own.close();
		await closed;
		expect(room.closed).toBe(true);
		expect(await codeOf(() => room.join(mediator))).toBe('NOT_FOUND');
		await expect(own.createRouter('late')).rejects.toThrow('closed');
	});
});
