/**
 * Rooms on real mediasoup workers, without a browser (producers are made from hand-written RTP
 * parameters, see tests/support/media-rooms.ts): the worker pool under the rooms: addresses,
 * load, a worker's death.
 */
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { describe, expect, test, vi } from 'vitest';
import { loadConfig } from '#server/config.ts';
import { Room, type RoomEvents } from '#server/media/room.ts';
import { WorkerPool } from '#server/media/worker-pool.ts';
import {
	closeAfterTest,
	codeOf,
	consume,
	createRoom,
	jointRoom,
	media,
	mediator,
	partyA,
	partyB,
	produce,
	useWorkerPool,
	workerPool
} from '../support/media-rooms.ts';

useWorkerPool();

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
		const hosts = workerPool()
			.dump()
			.map((worker) => worker.roomIds);
		expect(hosts).toHaveLength(2);
		expect(hosts).toEqual(expect.arrayContaining([[first.id], [second.id]]));
	});

	test('a worker killed is replaced; its room gets a new router, keeps its peers where they were, and works', async () => {
		const single = await WorkerPool.create(media(1));
		closeAfterTest(single);
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
		closeAfterTest(own);
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
