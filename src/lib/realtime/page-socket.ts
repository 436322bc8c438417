import { io, type Socket } from 'socket.io-client';

/**
 * How soon a page tries to reconnect after losing its socket: first within a few hundred
 * milliseconds, then every second or so at most, each wait jittered so that a room full of pages
 * does not knock at once. A restarted app answers in a few seconds, and its people are back a
 * moment later (Socket.io's own waits grow to 5 s).
 */
const RECONNECTION = { reconnectionDelay: 300, reconnectionDelayMax: 1500, randomizationFactor: 0.5 } as const;

/** The page's own connection, authenticated by its cookies; it connects when asked to. */
export function pageSocket<S extends Socket>(): S {
	return io({ transports: ['websocket'], autoConnect: false, ...RECONNECTION }) as S;
}
