import { io, type Socket } from 'socket.io-client';
import type { App } from '#server/app.ts';
import { SESSION_COOKIE } from '#server/auth/sessions.ts';
import type { ErrorCode, Reply } from '#shared/errors.ts';
import type { ClientToServerEvents, CommandResults, ServerToClientEvents } from '#shared/realtime-events.ts';
import { ask, CommandError } from '../../src/lib/realtime/command-client.ts';
import { logInAs, test } from './integration-test.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Connect = (options?: {
	cookie?: string;
	auth?: Record<string, unknown>;
	headers?: Record<string, string>;
}) => ClientSocket;

/**
 * `connect`: opens a Socket.io client to the app's real HTTP server (the
 * cookie goes in `extraHeaders`, as a browser would send it, with any other
 * `headers` a client chooses, such as an `Origin`: a node client sends none of
 * its own); every client is closed after the test.
 */
export const socketTest = test
	.extend('serverUrl', async ({ app }) => app.listen())
	.extend('connect', async ({ serverUrl: url }, { onCleanup }): Promise<Connect> => {
		const sockets: ClientSocket[] = [];
		onCleanup(() => {
			for (const socket of sockets) socket.disconnect();
		});
		return ({ cookie, auth, headers } = {}) => {
			const socket: ClientSocket = io(url, {
				transports: ['websocket'],
				reconnection: false,
				forceNew: true,
				extraHeaders: cookie === undefined ? headers : { ...headers, cookie },
				auth
			});
			sockets.push(socket);
			return socket;
		};
	});

export function connected(socket: ClientSocket): Promise<void> {
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
}

/** The error a refused handshake reports; rejects if the connection is accepted. */
export function refusal(socket: ClientSocket): Promise<Error & { data?: unknown }> {
	return new Promise((resolve, reject) => {
		socket.once('connect_error', resolve);
		socket.once('connect', () => reject(new Error('the handshake was accepted')));
	});
}

export function disconnected(socket: ClientSocket): Promise<string> {
	return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

/** The socket without its typed event map, to send what a well-behaved client never would. */
export const untyped = (socket: ClientSocket) => socket as unknown as Socket;

/**
 * What a command (`ask`) was answered, as the Reply that came over the wire, for tests that look at
 * refusals; it still rejects when no answer came at all.
 */
export async function replyOf<T>(command: Promise<T>): Promise<Reply<T>> {
	try {
		return { ok: true, data: await command };
	} catch (error) {
		if (!(error instanceof CommandError) || !error.answered) throw error;
		const { code, fields } = error;
		return { ok: false, error: fields ? { code, fields } : { code } };
	}
}

/** The error code of a reply, or 'ok'. */
export const codeOf = (reply: Reply<unknown>): ErrorCode | 'ok' => (reply.ok ? 'ok' : reply.error.code);

/** Anything at all, as a misbehaving client would send it, and the reply as it came. */
export function askRaw(socket: ClientSocket, event: string, ...args: unknown[]): Promise<Reply<unknown>> {
	return untyped(socket)
		.timeout(10_000)
		.emitWithAck(event, ...args);
}

export const whoami = (socket: ClientSocket): Promise<Reply<CommandResults['account:whoami']>> =>
	replyOf(ask(socket, 'account:whoami', {}));

/** Logs in and returns the Cookie header a browser would then send. */
export async function sessionCookie(app: App, credentials: { username: string; password: string }): Promise<string> {
	const { token } = await logInAs(app, credentials.username, credentials.password);
	return `${SESSION_COOKIE}=${token}`;
}
