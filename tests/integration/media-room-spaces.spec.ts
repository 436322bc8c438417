/**
 * Rooms on real mediasoup workers, without a browser (producers are made from hand-written RTP
 * parameters, see tests/support/media-rooms.ts): the joint space and the caucuses, and who
 * consumes what in each.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { Room } from '#server/media/room.ts';
import {
	closeAfterTest,
	codeOf,
	consume,
	consumedBy,
	emitted,
	expert,
	jointRoom,
	mediator,
	partyA,
	partyB,
	peerIn,
	produce,
	useWorkerPool,
	workerPool
} from '../support/media-rooms.ts';

useWorkerPool();

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
			workerPool(),
			new Map([
				[mediator.id, caucus],
				[partyB.id, 'joint']
			])
		);
		closeAfterTest(reopened);
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
