import type { ExtendedError, Socket } from 'socket.io';
import { HANDSHAKE_AUTH_SCHEMA } from '#shared/realtime-events.ts';
import type { Actor } from '#shared/roles.ts';
import type { ErrorCode } from '#shared/errors.ts';
import type { AppCore } from '../app.ts';
import { SESSION_COOKIE, validateSession } from '../auth/sessions.ts';
import { findJoin, JOIN_COOKIE } from '../sessions/participant-of.ts';

/**
 * Who is on the other end. `identity` is what `participantOf` takes
 * (a RoomIdentity) to resolve them in a session's room. An account has its actor and log-in
 * session; someone invited (no account) has neither, but their join: the
 * participant it admits, in that one session.
 */
export type SocketData =
	| { actor: Actor; sessionId: string; identity: { actor: Actor }; guest: null }
	| {
			actor: null;
			sessionId: null;
			identity: { joinToken: string };
			guest: { participantId: string; mediationSessionId: string };
	  };

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

/**
 * Every connection starts from a valid log-in session or, for someone
 * invited without an account, a valid join (the `tj_join` cookie); the
 * account wins when a browser holds both. Anything else is refused with a code.
 */
export function authenticateHandshake(core: AppCore) {
	return async (socket: Socket, next: (error?: ExtendedError) => void) => {
		try {
			if (!HANDSHAKE_AUTH_SCHEMA.safeParse(socket.handshake.auth ?? {}).success) return next(refusal('VALIDATION'));
			const { cookie } = socket.request.headers;
			const token = readCookie(cookie, SESSION_COOKIE);
			const session = token ? await validateSession(core.db, token, core.config.sessionDays) : null;
			if (session) {
				const { actor, sessionId } = session;
				socket.data = { actor, sessionId, identity: { actor }, guest: null } satisfies SocketData;
				return next();
			}
			const joinToken = readCookie(cookie, JOIN_COOKIE);
			const join = joinToken ? await findJoin(core.db, joinToken) : null;
			if (!joinToken || !join) return next(refusal('UNAUTHENTICATED'));
			socket.data = {
				actor: null,
				sessionId: null,
				identity: { joinToken },
				guest: { participantId: join.participantId, mediationSessionId: join.sessionId }
			} satisfies SocketData;
			next();
		} catch (error) {
			core.log.error({ err: error }, 'handshake failed');
			next(refusal('INTERNAL'));
		}
	};
}
