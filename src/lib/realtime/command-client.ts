import type { Socket } from 'socket.io-client';
import type { ErrorCode, FieldErrors, Reply } from '../shared/errors.ts';
import type {
	ClientToServerEvents,
	CommandName,
	CommandPayload,
	CommandResults,
	ServerToClientEvents
} from '../shared/realtime-events.ts';

/** A connection that speaks the realtime protocol: the page's, or a test's. */
export type CommandSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a command waits for its reply unless told otherwise. */
const COMMAND_TIMEOUT_MS = 10_000;

/**
 * A command that did not succeed: the server refused it with a code (and field codes), or no
 * reply came (`answered` false, code INTERNAL): the time ran out or the connection went while
 * waiting, and whether the server did it is unknown.
 */
export class CommandError extends Error {
	readonly code: ErrorCode;
	readonly fields?: FieldErrors;
	readonly answered: boolean;

	constructor(
		event: CommandName,
		code: ErrorCode,
		options: { fields?: FieldErrors; answered?: boolean; cause?: unknown } = {}
	) {
		super(`${event}: ${code}`, { cause: options.cause });
		this.name = 'CommandError';
		this.code = code;
		this.fields = options.fields;
		this.answered = options.answered ?? true;
	}
}

/**
 * Sends a command and resolves with its result, or rejects with a CommandError. A command sent
 * while the socket is disconnected waits in Socket.io's buffer for the connection, within the
 * same time limit.
 */
export async function ask<E extends CommandName>(
	socket: CommandSocket,
	event: E,
	payload: CommandPayload<E>,
	{ timeoutMs = COMMAND_TIMEOUT_MS }: { timeoutMs?: number } = {}
): Promise<CommandResults[E]> {
	let reply: Reply<CommandResults[E]>;
	try {
		// Socket.io's typings cannot follow a command name chosen by a type parameter.
		const untyped = socket.timeout(timeoutMs) as unknown as UntypedAsk;
		reply = (await untyped.emitWithAck(event, payload)) as Reply<CommandResults[E]>;
	} catch (cause) {
		// No answer in time: the connection is down or the server is overloaded.
		throw new CommandError(event, 'INTERNAL', { answered: false, cause });
	}
	if (!reply.ok) throw new CommandError(event, reply.error.code, { fields: reply.error.fields });
	return reply.data;
}

type UntypedAsk = { emitWithAck(event: string, payload: unknown): Promise<unknown> };
