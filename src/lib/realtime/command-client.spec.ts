import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ask, CommandError, type CommandSocket } from './command-client.ts';

/**
 * The command client against a Socket.io server in this process, on a port of its own: it answers
 * `account:whoami` as `answer` says, and counts what it received.
 */
let server: Server;
let url: string;
let answer: (payload: unknown, ack: (reply: unknown) => void) => void;
let received: unknown[];
const sockets: CommandSocket[] = [];

beforeEach(async () => {
	received = [];
	answer = () => {};
	const http = createServer();
	server = new Server(http, { transports: ['websocket'] });
	server.on('connection', (socket) => {
		socket.on('account:whoami', (payload: unknown, ack: (reply: unknown) => void) => {
			received.push(payload);
			answer(payload, ack);
		});
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.disconnect();
	await server.close();
});

function client(autoConnect = true): CommandSocket {
	const socket: CommandSocket = io(url, {
		transports: ['websocket'],
		reconnection: false,
		forceNew: true,
		autoConnect
	});
	sockets.push(socket);
	return socket;
}

async function connected(socket: CommandSocket): Promise<CommandSocket> {
	if (!socket.connected) await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
	return socket;
}

/** The rejection of a command, which must be a CommandError. */
async function refusalOf(command: Promise<unknown>): Promise<CommandError> {
	const error = await command.then(
		(data) => expect.fail(`expected a CommandError, got ${JSON.stringify(data)}`),
		(error: unknown) => error
	);
	expect(error).toBeInstanceOf(CommandError);
	return error as CommandError;
}

const ACTOR = { actor: { id: 'u1', username: 'mediator', displayName: '李明华', role: 'mediator' } };

describe('ask', () => {
	it('resolves with the data of an ok reply, having sent the payload', async () => {
		answer = (_, ack) => ack({ ok: true, data: ACTOR });
		const socket = await connected(client());

		expect(await ask(socket, 'account:whoami', {})).toEqual(ACTOR);
		expect(received).toEqual([{}]);
	});

	it('rejects an error reply with its code and field codes, as answered', async () => {
		answer = (_, ack) => ack({ ok: false, error: { code: 'VALIDATION', fields: { body: ['too_long'] } } });
		const socket = await connected(client());

		const error = await refusalOf(ask(socket, 'account:whoami', {}));
		expect(error).toMatchObject({ code: 'VALIDATION', fields: { body: ['too_long'] }, answered: true });
		expect(error.message).toBe('account:whoami: VALIDATION');

		answer = (_, ack) => ack({ ok: false, error: { code: 'FORBIDDEN' } });
		expect(await refusalOf(ask(socket, 'account:whoami', {}))).toMatchObject({
			code: 'FORBIDDEN',
			fields: undefined,
			answered: true
		});
	});

	it('rejects as unanswered (INTERNAL) when no reply comes in time', async () => {
		const socket = await connected(client());
		const started = Date.now();

		const error = await refusalOf(ask(socket, 'account:whoami', {}, { timeoutMs: 200 }));
		expect(error).toMatchObject({ code: 'INTERNAL', answered: false });
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(received).toEqual([{}]);
	});

	it('rejects as unanswered at once when the connection goes while waiting', async () => {
		const socket = await connected(client());
		answer = () => socket.disconnect();
		const started = Date.now();

		const error = await refusalOf(ask(socket, 'account:whoami', {}, { timeoutMs: 5_000 }));
		expect(error).toMatchObject({ code: 'INTERNAL', answered: false });
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('sent while disconnected, waits for the connection, within its time limit', async () => {
		answer = (_, ack) => ack({ ok: true, data: ACTOR });
		const later = client(false);
		const sent = ask(later, 'account:whoami', {});
		later.connect();
		expect(await sent).toEqual(ACTOR);

		const never = client(false);
		const error = await refusalOf(ask(never, 'account:whoami', {}, { timeoutMs: 200 }));
		expect(error).toMatchObject({ code: 'INTERNAL', answered: false });
		expect(received).toEqual([{}]);
	});
});
