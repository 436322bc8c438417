/**
 * The two app processes of the cluster benchmark (`node server/index.ts` each, as `npm start` runs
 * it) on one PostgreSQL database and the machine's Redis, and what they say of themselves. The
 * machine is shared: everything listens on the bench's own ports, 5500–5599.
 */
import type { Health } from '#server/health.ts';
import { health, startServer, type ServerProcess, type ServerStorage } from '../support/server-process.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
export const APP_PORTS = [5500, 5501];
export const BALANCER_PORT = 5502;
/** Each process's media ports: as many WebRTC transports as one process serves in the forwarding rooms. */
const MEDIA_PORTS = [
	[5510, 5554],
	[5555, 5599]
];

/** App process `index` (0 or 1); `origin` is where its pages are served from when not from itself (a balancer). */
export function startApp(storage: ServerStorage, index: number, origin?: string): Promise<ServerProcess> {
	const [min, max] = MEDIA_PORTS[index];
	return startServer(storage, {
		port: APP_PORTS[index],
		env: {
			REDIS_URL,
			MEDIA_MIN_PORT: String(min),
			MEDIA_MAX_PORT: String(max),
			...(origin ? { ORIGIN: origin } : {})
		}
	});
}

/** Throws unless the process owns the room (its /healthz says so): the benchmark places people by who owns it. */
export async function expectOwner(app: ServerProcess, sessionId: string): Promise<void> {
	const { cluster } = JSON.parse((await health(app.base)).body) as Health;
	if (!cluster?.rooms.includes(sessionId)) throw new Error(`${app.base} does not own the room ${sessionId}`);
}
