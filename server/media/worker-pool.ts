import { createWorker, extras, type types } from 'mediasoup';
import type { MediaConfig } from '../config.ts';
import { MEDIA_CODECS } from './media-codecs.ts';

export type RoomRouter = types.Router<{ roomId: string }>;

export type WorkerPoolEvents = {
	/** A worker process died. Its routers died with it; the rooms named rebuild on a live or replacement worker. */
	workerDied: [died: { pid: number; roomIds: string[]; error: Error }];
	/** A replacement worker did not start: the pool runs short until the next one dies and is replaced. */
	workerFailed: [error: Error];
	close: [];
};

/**
 * The mediasoup worker processes of this server, one per core by default. Rooms get their router
 * from the least loaded worker; a worker that dies is replaced and the rooms it served are named
 * in `workerDied` so that they rebuild.
 */
export class WorkerPool extends extras.EnhancedEventEmitter<WorkerPoolEvents> {
	/** Where WebRTC transports listen and what they announce, the same for every room. */
	readonly listenInfos: types.TransportListenInfo[];
	readonly #size: number;
	/** Each live worker with the routers it runs: its load. */
	readonly #workers = new Map<types.Worker, Set<RoomRouter>>();
	/** Workers being started, so that a room asking for a router meanwhile can wait for them. */
	readonly #starting = new Set<Promise<void>>();
	#closed = false;

	/** Starts the configured number of workers; fails if any does not start. */
	static async create(config: MediaConfig): Promise<WorkerPool> {
		const pool = new WorkerPool(config);
		try {
			await pool.#fill();
		} catch (error) {
			pool.close();
			throw error;
		}
		return pool;
	}

	private constructor(config: MediaConfig) {
		super();
		if (!Number.isInteger(config.workers) || config.workers < 1) throw new TypeError('workers must be 1 or more');
		this.#size = config.workers;
		const portRange = { min: config.minPort, max: config.maxPort };
		this.listenInfos = (['udp', 'tcp'] as const).map((protocol) => ({
			protocol,
			ip: config.listenIp,
			announcedAddress: config.announcedAddress,
			portRange
		}));
	}

	get closed(): boolean {
		return this.#closed;
	}

	/** The live workers and the rooms each one serves. */
	dump(): { pid: number; roomIds: string[] }[] {
		return [...this.#workers].map(([worker, routers]) => ({ pid: worker.pid, roomIds: roomIdsOf(routers) }));
	}

	async createRouter(roomId: string): Promise<RoomRouter> {
		if (typeof roomId !== 'string' || !roomId) throw new TypeError('roomId must be a non-empty string');
		if (this.#closed) throw new Error('the worker pool is closed');
		if (!this.#leastLoaded()) await Promise.allSettled(this.#starting);
		const worker = this.#leastLoaded();
		if (!worker) throw new Error('no mediasoup worker is running');
		const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { roomId } });
		const routers = this.#workers.get(worker);
		routers?.add(router);
		// A dying worker closes its routers before it reports 'died': keep them until then, to name the rooms.
		router.observer.once('close', () => {
			if (!worker.closed) routers?.delete(router);
		});
		return router;
	}

	/** Closes every room first (through `close`), then the workers. */
	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.safeEmit('close');
		for (const worker of this.#workers.keys()) worker.close();
		this.#workers.clear();
	}

	#leastLoaded(): types.Worker | undefined {
		let least: [types.Worker, Set<RoomRouter>] | undefined;
		for (const entry of this.#workers) {
			if (!entry[0].closed && (!least || entry[1].size < least[1].size)) least = entry;
		}
		return least?.[0];
	}

	/** Starts workers until the pool has its size, counting those already starting; resolves when all have. */
	#fill(): Promise<unknown> {
		while (this.#workers.size + this.#starting.size < this.#size) {
			const starting: Promise<void> = this.#startWorker().finally(() => this.#starting.delete(starting));
			this.#starting.add(starting);
		}
		return Promise.all(this.#starting);
	}

	async #startWorker(): Promise<void> {
		const worker = await createWorker({ logLevel: 'warn' });
		if (this.#closed) return worker.close();
		this.#workers.set(worker, new Set());
		worker.once('died', (error) => this.#replace(worker, error));
	}

	#replace(worker: types.Worker, error: Error): void {
		const roomIds = roomIdsOf(this.#workers.get(worker) ?? []);
		this.#workers.delete(worker);
		if (this.#closed) return;
		// The replacement is on its way before the rooms hear of the death, so a room that was alone on it waits for it.
		this.#fill().catch((startError: Error) => this.safeEmit('workerFailed', startError));
		this.safeEmit('workerDied', { pid: worker.pid, roomIds, error });
	}
}

function roomIdsOf(routers: Iterable<RoomRouter>): string[] {
	return [...routers].map((router) => router.appData.roomId);
}
