/**
 * Rooms on real mediasoup workers, without a browser (producers are made from hand-written RTP
 * parameters, see tests/support/media-rooms.ts): who may do what with which ids, and the
 * refusals.
 */
import type { types } from 'mediasoup';
import { describe, expect, test } from 'vitest';
import type { MediaSource } from '#shared/realtime-events.ts';
import {
	codeOf,
	consume,
	emitted,
	expert,
	jointRoom,
	mediator,
	observer,
	partyA,
	partyB,
	peerIn,
	produce,
	rtpParameters,
	useWorkerPool
} from '../support/media-rooms.ts';

useWorkerPool();

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
