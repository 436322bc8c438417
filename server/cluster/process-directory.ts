import { hostname } from 'node:os';
import type { RedisConnection } from './redis-connection.ts';

/**
 * How long a process counts as alive after its last beat. It beats every half second
 * (ClusterRooms), so a process whose event loop stalls for 2 s keeps its rooms; one killed loses
 * them within 2.5 s.
 */
const ALIVE_MS = 2500;
const PREFIX = 'tiaojie:process:';

/** The key that exists while the process is alive. */
export const processKey = (processId: string) => PREFIX + processId;

/** What a process tells the others of itself. */
export type ProcessCard = { processId: string; host: string; pid: number; startedAt: string; rooms: number };

/**
 * The app processes of a cluster, each a key in Redis that expires unless the process beats: who
 * is alive, for the owners of rooms to let go of connections a dead process held, and for /healthz.
 */
export class ProcessDirectory {
	readonly processId: string;
	readonly #redis: RedisConnection;
	readonly #startedAt = new Date().toISOString();

	constructor(redis: RedisConnection, processId: string) {
		this.#redis = redis;
		this.processId = processId;
	}

	/** This process is alive, with so many rooms. */
	async beat(rooms: number): Promise<void> {
		const card: ProcessCard = {
			processId: this.processId,
			host: hostname(),
			pid: process.pid,
			startedAt: this.#startedAt,
			rooms
		};
		await this.#redis.set(processKey(this.processId), JSON.stringify(card), {
			expiration: { type: 'PX', value: ALIVE_MS }
		});
	}

	/** Which of these processes are alive. */
	async alive(processIds: string[]): Promise<Set<string>> {
		if (!processIds.length) return new Set();
		const cards = await this.#redis.mGet(processIds.map(processKey));
		return new Set(processIds.filter((_, i) => cards[i] !== null));
	}

	/** The other processes alive now. */
	async peers(): Promise<ProcessCard[]> {
		const keys: string[] = [];
		for await (const batch of this.#redis.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 100 })) keys.push(...batch);
		const others = keys.filter((key) => key !== processKey(this.processId));
		if (!others.length) return [];
		const cards = await this.#redis.mGet(others);
		return cards.flatMap((card) => (card ? [JSON.parse(card) as ProcessCard] : []));
	}

	/** This process leaves: the others stop counting it at once. */
	async leave(): Promise<void> {
		await this.#redis.del(processKey(this.processId));
	}
}
