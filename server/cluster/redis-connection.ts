import { createClient } from 'redis';

/** A connection to the cluster's Redis (node-redis), not yet connected. */
export function redisConnection(url: string) {
	return createClient({ url });
}

export type RedisConnection = ReturnType<typeof redisConnection>;
