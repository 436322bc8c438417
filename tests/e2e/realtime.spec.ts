import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/shared/realtime-events.ts';
import { expect, test as base, zh } from '../support/e2e-test.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const test = base.extend<{
	/** Opens a Socket.io connection to the app from this test process, sending `cookie` as a browser would. */
	connect: (cookie?: string) => ClientSocket;
	/** The Cookie header of this test's browser context. */
	browserCookie: () => Promise<string>;
}>({
	connect: async ({ baseURL }, use) => {
		const sockets: ClientSocket[] = [];
		await use((cookie) => {
			const socket: ClientSocket = io(baseURL!, {
				transports: ['websocket'],
				extraHeaders: cookie ? { cookie } : {},
				reconnection: false,
				forceNew: true
			});
			sockets.push(socket);
			return socket;
		});
		for (const socket of sockets) socket.disconnect();
	},
	browserCookie: async ({ context }, use) => {
		await use(async () => (await context.cookies()).map(({ name, value }) => `${name}=${value}`).join('; '));
	}
});

/** Resolves on connection; rejects with the server's refusal. */
function connected(socket: ClientSocket): Promise<void> {
	return new Promise((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('connect_error', reject);
	});
}

test('a socket opened with a browser’s log-in session knows who it is', async ({ loginAs, connect, browserCookie }) => {
	const login = await loginAs('mediator');
	const socket = connect(await browserCookie());
	await connected(socket);
	const reply = await socket.timeout(5_000).emitWithAck('account:whoami', {});
	expect(reply).toEqual({
		ok: true,
		data: {
			actor: expect.objectContaining({ username: login.username, displayName: login.displayName, role: login.role })
		}
	});
});

test('a command with an unexpected payload is answered with VALIDATION', async ({
	loginAs,
	connect,
	browserCookie
}) => {
	await loginAs('party');
	const socket = connect(await browserCookie());
	await connected(socket);
	const reply = await socket.timeout(5_000).emitWithAck('account:whoami', { extra: true } as never);
	expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
	expect(socket.connected).toBe(true);
});

test('without a log-in session the connection is refused as UNAUTHENTICATED', async ({ connect }) => {
	await expect(connected(connect())).rejects.toThrow(/^UNAUTHENTICATED$/);
	await expect(connected(connect('tj_session=not-a-real-session-token'))).rejects.toThrow(/^UNAUTHENTICATED$/);
});

test('logging out in the browser ends the session’s live connections', async ({
	page,
	loginAs,
	connect,
	browserCookie
}) => {
	await loginAs('grid_worker');
	const cookie = await browserCookie();
	const socket = connect(cookie);
	await connected(socket);
	const ended = new Promise((resolve) => socket.once('session:ended', resolve));
	const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));

	await page.getByRole('button', { name: zh('nav_logout') }).click();
	await expect(page).toHaveURL('/login?logged-out');
	expect(await ended).toEqual({ reason: 'logged_out' });
	await disconnected;
	await expect(connected(connect(cookie))).rejects.toThrow(/^UNAUTHENTICATED$/);
});
