import { extras } from 'mediasoup';
import type { MediaConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { RoomMemory } from './room-memory.ts';
import { Room } from './room.ts';
import { WorkerPool } from './worker-pool.ts';

/** How long a room nobody is in stays open, for a reload or a reconnection to find it and its caucuses. */
const EMPTY_ROOM_GRACE_MS = 5 * 60_000;

export type RoomRegistryEvents = { opened: [room: Room] };

/**
 * The live rooms of this process, one per mediation session, on one worker pool. The pool starts
 * with the first room, so a process that never hosts one runs no mediasoup worker. Where people
 * are in each room is kept in the room memory, and recalled when a room opens.
 */
export class RoomRegistry extends extras.EnhancedEventEmitter<RoomRegistryEvents> {
	readonly #config: MediaConfig;
	readonly #log: Logger;
	readonly #memory: RoomMemory;
	readonly #rooms = new Map<string, Promise<Room>>();
	readonly #emptyTimers = new Map<string, NodeJS.Timeout>();
	#pool: Promise<WorkerPool> | undefined;
	#closed = false;

	constructor(config: MediaConfig, log: Logger, memory: RoomMemory) {
		super();
		this.#config = config;
		this.#log = log;
		this.#memory = memory;
	}

	/** The session's room, opened if it is not yet. */
	async open(sessionId: string): Promise<Room> {
		if (this.#closed) throw new Error('the room registry is closed');
		let opening = this.#rooms.get(sessionId);
		if (!opening) {
			opening = this.#openRoom(sessionId);
			this.#rooms.set(sessionId, opening);
			opening.catch(() => this.#rooms.delete(sessionId));
		}
		return opening;
	}

	/** The session's room if it is open; never opens one. */
	async find(sessionId: string): Promise<Room | undefined> {
		return this.#rooms.get(sessionId)?.catch(() => undefined);
	}

	/** The rooms open or opening in this process. */
	ids(): string[] {
		return [...this.#rooms.keys()];
	}

	/** Settles once where everyone in the room is now is kept beyond this process. */
	kept(room: Room): Promise<void> {
		return this.#memory.kept(room.id);
	}

	/** Called when someone leaves: a room left empty closes after a grace period. */
	noteLeft(room: Room): void {
		if (!room.empty) return;
		clearTimeout(this.#emptyTimers.get(room.id));
		const timer = setTimeout(() => {
			this.#emptyTimers.delete(room.id);
			if (room.empty) room.close();
		}, EMPTY_ROOM_GRACE_MS);
		timer.unref();
		this.#emptyTimers.set(room.id, timer);
	}

	/** The worker pool, for its state in health checks and tests; undefined until the first room. */
	pool(): Promise<WorkerPool> | undefined {
		return this.#pool;
	}

	async closeAll(): Promise<void> {
		this.#closed = true;
		for (const timer of this.#emptyTimers.values()) clearTimeout(timer);
		const pool = await this.#pool?.catch(() => undefined);
		// Closing the pool closes every room on it; where their people were stays for the next process.
		pool?.close();
		await this.#memory.close();
	}

	async #openRoom(sessionId: string): Promise<Room> {
		this.#pool ??= this.#startPool();
		let room: Room;
		try {
			const [pool, remembered] = await Promise.all([this.#pool, this.#memory.recall(sessionId)]);
			room = await Room.create(sessionId, pool, remembered);
		} catch (error) {
			// No room opened here: its places are not this process's to mark as seen.
			this.#memory.release(sessionId);
			throw error;
		}
		room.on('placeChanged', (peerId, place) => this.#memory.remember(sessionId, peerId, place));
		room.on('close', () => {
			this.#memory.release(sessionId);
			this.#rooms.delete(sessionId);
			clearTimeout(this.#emptyTimers.get(sessionId));
			this.#emptyTimers.delete(sessionId);
		});
		this.safeEmit('opened', room);
		return room;
	}

	#startPool(): Promise<WorkerPool> {
		const starting = WorkerPool.create(this.#config).then((pool) => {
			pool.on('workerDied', ({ pid, roomIds, error }) =>
				this.#log.error({ pid, roomIds, err: error }, 'mediasoup worker died; its rooms are rebuilt')
			);
			pool.on('workerFailed', (error) =>
				this.#log.error({ err: error }, 'a replacement mediasoup worker did not start')
			);
			return pool;
		});
		// A pool that failed to start is tried again by the next room.
		starting.catch(() => (this.#pool = undefined));
		return starting;
	}
}
