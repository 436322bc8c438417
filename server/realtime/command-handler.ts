import type { Socket } from 'socket.io';
import {
	COMMAND_SCHEMAS,
	type ClientToServerEvents,
	type CommandName,
	type CommandResults,
	type ServerToClientEvents
} from '#shared/realtime-events.ts';
import { AppError, type Reply } from '#shared/errors.ts';
import { fieldErrorsOf } from '#shared/validation.ts';
import type { z } from 'zod';
import type { Logger } from '../log.ts';
import type { ServerMedia } from '../media/server-media.ts';
import type { SocketData } from './authenticate-handshake.ts';

export type AppSocket = Socket<
	ClientToServerEvents<ServerMedia>,
	ServerToClientEvents<ServerMedia>,
	Record<string, never>,
	SocketData
>;

/**
 * Registers a command: the payload is validated against its schema, errors
 * become error replies, and nothing a client sends can throw past here.
 */
export function onCommand<E extends CommandName>(
	log: Logger,
	socket: AppSocket,
	event: E,
	handler: (payload: CommandPayload<E>) => Promise<CommandResults<ServerMedia>[E]>
): void {
	// Socket.io hands the acknowledgement over last, after however many arguments the client sent.
	const listener = async (...args: unknown[]) => {
		const ack = args.pop();
		if (typeof ack !== 'function') return;
		const reply = ack as (reply: Reply<CommandResults<ServerMedia>[E]>) => void;
		reply(await answerCommand(log, event, args, handler, { userId: socket.data.actor?.id }));
	};
	socket.on(event as never, listener as never);
}

export type CommandPayload<E extends CommandName> = z.output<(typeof COMMAND_SCHEMAS)[E]>;

/**
 * The reply to a command, whoever carries it (a socket, or another process forwarding it): its
 * arguments checked against its schema, an AppError as its code, anything else logged as INTERNAL.
 */
export async function answerCommand<E extends CommandName>(
	log: Logger,
	event: E,
	args: unknown[],
	handler: (payload: CommandPayload<E>) => Promise<CommandResults<ServerMedia>[E]>,
	context: Record<string, unknown>
): Promise<Reply<CommandResults<ServerMedia>[E]>> {
	if (args.length !== 1) return { ok: false, error: { code: 'VALIDATION', fields: { _: ['invalid'] } } };
	const parsed = COMMAND_SCHEMAS[event].safeParse(args[0]);
	if (!parsed.success) return { ok: false, error: { code: 'VALIDATION', fields: fieldErrorsOf(parsed.error) } };
	try {
		// TypeScript cannot tie the schema picked by `event` to the handler's payload type.
		return { ok: true, data: await handler(parsed.data as CommandPayload<E>) };
	} catch (error) {
		if (error instanceof AppError) return { ok: false, error: { code: error.code, fields: error.fields } };
		log.error({ err: error, event, ...context }, 'command failed');
		return { ok: false, error: { code: 'INTERNAL' } };
	}
}
