import { createClient } from 'redis';
import type { Logger } from '../log.ts';

/**
 * A connection to the cluster's Redis (node-redis), not yet connected. A connection that drops is
 * logged and reconnects by itself: an error event nobody listens to would end the process.
 */
export function redisConnection(url: string, log: Logger) {
	const connection = createClient({ url });
	connection.on('error', (error) => log.error({ err: error }, 'Redis connection failed'));
	return connection;
}

export type RedisConnection = ReturnType<typeof redisConnection>;
