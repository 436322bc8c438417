/**
 * Rooms on real mediasoup workers, without a browser (producers are made from hand-written RTP
 * parameters, see tests/support/media-rooms.ts): the lobby, where nothing is sent or received, and
 * who is let in, sent back or turned away.
 */
import { describe, expect, test } from 'vitest';
import {
	codeOf,
	consume,
	consumedBy,
	createRoom,
	emitted,
	jointRoom,
	mediator,
	partyA,
	partyB,
	peerIn,
	produce,
	rtpParameters,
	useWorkerPool
} from '../support/media-rooms.ts';

useWorkerPool();

describe('lobby', () => {
	test('mediators start in the joint space, everyone else in the lobby, where nothing is sent or received', async () => {
		const room = await createRoom();
		const joined = room.join(mediator);
		expect(joined.self.space).toBe('joint');
		const { mic } = await produce(room, mediator.id, 'mic');

		const waiting = room.join(partyA);
		expect(waiting).toMatchObject({ self: { space: 'lobby' }, peers: [{ id: partyA.id }], producers: [] });
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
