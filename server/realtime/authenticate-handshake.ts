import type { ExtendedError, Socket } from 'socket.io';
import { HANDSHAKE_AUTH_SCHEMA } from '#shared/realtime-events.ts';
import type { Actor } from '#shared/roles.ts';
import type { ErrorCode } from '#shared/errors.ts';
import type { AppCore } from '../app.ts';
import { SESSION_COOKIE, validateSession } from '../auth/sessions.ts';

export type SocketData = { actor: Actor; sessionId: string };

function refusal(code: ErrorCode): ExtendedError {
	const error: ExtendedError = new Error(code);
	error.data = { code };
	return error;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
	for (const part of header?.split(';') ?? []) {
		const [key, ...value] = part.trim().split('=');
		if (key === name) return value.join('=');
	}
	return undefined;
}

/** Every connection starts from a valid log-in session; anything else is refused with a code. */
export function authenticateHandshake(core: AppCore) {
	return async (socket: Socket, next: (error?: ExtendedError) => void) => {
		try {
			if (!HANDSHAKE_AUTH_SCHEMA.safeParse(socket.handshake.auth ?? {}).success) return next(refusal('VALIDATION'));
			const token = readCookie(socket.request.headers.cookie, SESSION_COOKIE);
			const session = token ? await validateSession(core.db, token, core.config.sessionDays) : null;
			if (!session) return next(refusal('UNAUTHENTICATED'));
			socket.data = { actor: session.actor, sessionId: session.sessionId } satisfies SocketData;
			next();
		} catch (error) {
			core.log.error({ err: error }, 'handshake failed');
			next(refusal('INTERNAL'));
		}
	};
}
