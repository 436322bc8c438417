import type { RedisConnection } from './redis-connection.ts';

/** How long a lease lasts unless renewed: how long a room is without an owner after its owner died. */
export const LEASE_MS = 4000;

/**
 * Takes the lease when nobody holds it, or extends it when the caller does; returns who holds it.
 * One script, so that taking and checking are one step for Redis.
 */
const CLAIM = `
local owner = redis.call('GET', KEYS[1])
if not owner then
	redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
	return ARGV[1]
end
if owner == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return owner`;

/** Gives the lease up only if the caller holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const keyOf = (roomId: string) => `tiaojie:room-owner:${roomId}`;

/**
 * Which process owns each live room: a lease in Redis with an expiry, which the owner renews while
 * the room is open. Redis decides who got it first; a process that dies stops renewing, and the
 * lease passes to whoever claims the room after it expired.
 */
export class RoomLeases {
	readonly #redis: RedisConnection;
	readonly #processId: string;

	constructor(redis: RedisConnection, processId: string) {
		this.#redis = redis;
		this.#processId = processId;
	}

	/** The room's owner now: this process if nobody held the lease (it takes it) or if it held it already (renewed). */
	async claim(roomId: string): Promise<string> {
		const owner = await this.#redis.eval(CLAIM, {
			keys: [keyOf(roomId)],
			arguments: [this.#processId, String(LEASE_MS)]
		});
		return String(owner);
	}

	/** Each room's owner, or null where no lease is held. */
	async owners(roomIds: string[]): Promise<(string | null)[]> {
		if (!roomIds.length) return [];
		return this.#redis.mGet(roomIds.map(keyOf));
	}

	async release(roomId: string): Promise<void> {
		await this.#redis.eval(RELEASE, { keys: [keyOf(roomId)], arguments: [this.#processId] });
	}
}
