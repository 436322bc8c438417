import type { ExtendedError, Socket } from 'socket.io';
import { HANDSHAKE_AUTH_SCHEMA } from '#shared/realtime-events.ts';
import type { Actor } from '#shared/roles.ts';
import type { ErrorCode } from '#shared/errors.ts';
import { SESSION_COOKIE, validateSession } from '../auth/sessions.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { findJoin, JOIN_COOKIE } from '../sessions/participant-of.ts';
import { isAllowedOrigin } from './allowed-origin.ts';
import { ConnectionCeiling } from './connection-ceiling.ts';

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
 * How many connections one person may hold at once in this process. A room page holds two (the
 * room and its draft): an invitation allows three such pages (a phone, a laptop and a reload's
 * overlap); an account, whose holder may also keep case pages open, ten.
 */
const CONNECTIONS_PER_PERSON = { invitation: 6, account: 20 } as const;

/**
 * Every connection starts from one of the app's own pages (or a program without a browser's
 * `Origin`) and from a valid log-in session or, for someone invited without an account, a valid
 * join (the `tj_join` cookie); the account wins when a browser holds both. Each person holds a
 * bounded number of connections. Anything else is refused with a code.
 */
/** What the handshake checks against: the allowed origins, the log-in sessions and joins. */
export type HandshakeDeps = { config: Pick<Config, 'origin' | 'extraOrigins' | 'sessionDays'>; log: Logger; db: Db };

export function authenticateHandshake(core: HandshakeDeps) {
	const ceiling = new ConnectionCeiling();
	return async (socket: Socket, next: (error?: ExtendedError) => void) => {
		try {
			if (!HANDSHAKE_AUTH_SCHEMA.safeParse(socket.handshake.auth ?? {}).success) return next(refusal('VALIDATION'));
			const { cookie, origin, host } = socket.request.headers;
			if (!isAllowedOrigin(origin, host, core.config)) {
				core.log.info({ origin, host }, 'socket from another origin refused');
				return next(refusal('FORBIDDEN'));
			}
			const data = await identify(core, cookie);
			if (!data) return next(refusal('UNAUTHENTICATED'));
			const release = data.guest
				? ceiling.take(`participant:${data.guest.participantId}`, CONNECTIONS_PER_PERSON.invitation)
				: ceiling.take(`user:${data.actor.id}`, CONNECTIONS_PER_PERSON.account);
			if (!release) return next(refusal('TOO_MANY_CONNECTIONS'));
			// The transport's close, not the socket's disconnect: it comes even for a socket that never connected.
			if (socket.conn.readyState === 'closed') release();
			else socket.conn.once('close', release);
			socket.data = data;
			next();
		} catch (error) {
			core.log.error({ err: error }, 'handshake failed');
			next(refusal('INTERNAL'));
		}
	};
}

/** Who the cookies say this is: an account's log-in session first, else an invitation's join. */
async function identify(core: HandshakeDeps, cookie: string | undefined): Promise<SocketData | null> {
	const token = readCookie(cookie, SESSION_COOKIE);
	const session = token ? await validateSession(core.db, token, core.config.sessionDays) : null;
	if (session) {
		const { actor, sessionId } = session;
		return { actor, sessionId, identity: { actor }, guest: null };
	}
	const joinToken = readCookie(cookie, JOIN_COOKIE);
	const join = joinToken ? await findJoin(core.db, joinToken) : null;
	if (!joinToken || !join) return null;
	return {
		actor: null,
		sessionId: null,
		identity: { joinToken },
		guest: { participantId: join.participantId, mediationSessionId: join.sessionId }
	};
}
