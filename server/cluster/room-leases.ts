import { processKey } from './process-directory.ts';
import type { RedisConnection } from './redis-connection.ts';

/**
 * How long a lease lasts unless renewed. A dead owner's rooms are taken over sooner, as soon as
 * its process stops counting as alive (ProcessDirectory); this is for a room its owner let go of
 * without saying so.
 */
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

/** Takes the lease from a holder that is no longer alive (its process key expired), in one step with the check. */
const TAKE_OVER = `
if redis.call('GET', KEYS[1]) == ARGV[1] and redis.call('EXISTS', KEYS[2]) == 0 then
	redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return redis.call('GET', KEYS[1])`;

/** Gives the lease up only if the caller holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const keyOf = (roomId: string) => `tiaojie:room-owner:${roomId}`;

/**
 * Which process owns each live room: a lease in Redis with an expiry, which the owner renews while
 * the room is open. Redis decides who got it first; a process that dies stops beating, and the
 * lease passes to whoever claims the room after that.
 */
export class RoomLeases {
	readonly #redis: RedisConnection;
	readonly #processId: string;

	constructor(redis: RedisConnection, processId: string) {
		this.#redis = redis;
		this.#processId = processId;
	}

	/**
	 * The room's owner now: this process if nobody held the lease or its holder is dead (it takes
	 * it), or if it held it already (renewed).
	 */
	async claim(roomId: string): Promise<string> {
		const owner = String(
			await this.#redis.eval(CLAIM, { keys: [keyOf(roomId)], arguments: [this.#processId, String(LEASE_MS)] })
		);
		if (owner === this.#processId) return owner;
		const now = await this.#redis.eval(TAKE_OVER, {
			keys: [keyOf(roomId), processKey(owner)],
			arguments: [owner, this.#processId, String(LEASE_MS)]
		});
		// Released between the two steps: whoever claims it next takes it.
		return now === null ? this.claim(roomId) : String(now);
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
