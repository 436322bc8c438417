import { z } from 'zod';
import type { Reply } from './errors.ts';
import type { Actor } from './roles.ts';

/**
 * The realtime protocol. Commands (client → server) carry one payload and an
 * acknowledgement; facts (server → client) carry one payload. Every command
 * payload is checked against its schema here before a handler sees it.
 */
export const COMMAND_SCHEMAS = {
	'account:whoami': z.object({}).strict()
} as const;

export type CommandName = keyof typeof COMMAND_SCHEMAS;
export type CommandPayload<E extends CommandName> = z.input<(typeof COMMAND_SCHEMAS)[E]>;

export type CommandResults = {
	'account:whoami': { actor: Actor };
};

export type ClientToServerEvents = {
	[E in CommandName]: (payload: CommandPayload<E>, ack: (reply: Reply<CommandResults[E]>) => void) => void;
};

export type ServerToClientEvents = {
	/** The log-in session behind this connection ended (logout, deactivation, password reset). */
	'session:ended': (fact: { reason: 'logged_out' | 'revoked' }) => void;
};

/** What the handshake may carry besides the session cookie. */
export const HANDSHAKE_AUTH_SCHEMA = z.object({}).strict();

/** Error codes a refused handshake reports in `connect_error` (`err.message`). */
export const HANDSHAKE_ERRORS = ['UNAUTHENTICATED', 'VALIDATION'] as const;
