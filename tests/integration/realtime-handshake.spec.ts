import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { SESSION_COOKIE, validateSession } from '#server/auth/sessions.ts';
import { authSessions } from '#server/db/schema.ts';
import { resetPassword } from '#server/users/reset-password.ts';
import { setUserActive } from '#server/users/set-user-active.ts';
import { updateUser } from '#server/users/update-user.ts';
import type { Actor } from '#shared/roles.ts';
import { ADMIN_PASSWORD } from '../support/test-app.ts';
import {
	askRaw,
	connected,
	disconnected,
	refusal,
	sessionCookie,
	socketTest as test,
	untyped,
	whoami,
	type Connect
} from '../support/socket-client.ts';
import { addUser, logInAs } from '../support/integration-test.ts';

describe('handshake', () => {
	test('without a cookie the connection is refused as UNAUTHENTICATED', async ({ connect }) => {
		const error = await refusal(connect());
		expect(error.message).toBe('UNAUTHENTICATED');
		expect(error.data).toEqual({ code: 'UNAUTHENTICATED' });
	});

	test.for([
		`${SESSION_COOKIE}=garbage`,
		`${SESSION_COOKIE}=${'A'.repeat(43)}`,
		'other=1; tj_session_x=2',
		`${SESSION_COOKIE}=`
	])('a cookie that names no session (%s) is UNAUTHENTICATED', async (cookie, { connect }) => {
		expect((await refusal(connect({ cookie }))).message).toBe('UNAUTHENTICATED');
	});

	test('an expired session is UNAUTHENTICATED', async ({ app, town, connect }) => {
		const cookie = await sessionCookie(app, { username: town.admin.username, password: ADMIN_PASSWORD });
		await app.db.update(authSessions).set({ expiresAt: new Date(Date.now() - 1_000) });

		expect((await refusal(connect({ cookie }))).message).toBe('UNAUTHENTICATED');
	});

	test('handshake auth with unexpected keys is refused as VALIDATION, even with a valid session', async ({
		app,
		town,
		connect
	}) => {
		const cookie = await sessionCookie(app, await addUser(app, town.admin));
		const error = await refusal(connect({ cookie, auth: { token: 'x' } }));
		expect(error.message).toBe('VALIDATION');
	});

	test('a valid session cookie connects, among other cookies, and account:whoami gives the actor', async ({
		app,
		town,
		connect
	}) => {
		const user = await addUser(app, town.admin, { role: 'grid_worker' });
		const { token } = await logInAs(app, user.username, user.password);
		const socket = connect({ cookie: `tj_locale=zh-CN; ${SESSION_COOKIE}=${token}; theme=dark` });
		await connected(socket);

		const reply = await whoami(socket);

		const session = await validateSession(app.db, token, app.config.sessionDays);
		expect(reply).toEqual({ ok: true, data: { actor: session!.actor } });
		expect(session!.actor).toMatchObject({ id: user.userId, role: 'grid_worker' });
	});
});

describe('commands', () => {
	test.for([
		['a string', 'hello'],
		['a number', 42],
		['null', null],
		['an array', [1, 2]],
		['an object with extra keys', { extra: true }]
	] as const)(
		'%s as payload is a VALIDATION reply and the socket keeps working',
		async ([, payload], { app, town, connect }) => {
			const socket = connect({ cookie: await sessionCookie(app, await addUser(app, town.admin)) });
			await connected(socket);

			const reply = await askRaw(socket, 'account:whoami', payload);

			expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: expect.any(Object) } });
			expect(await whoami(socket)).toMatchObject({ ok: true });
		}
	);

	test.for([
		['no payload', []],
		['a second argument', [{}, 'extra']]
	] as const)('a command with %s is a VALIDATION reply', async ([, args], { app, town, connect }) => {
		const socket = connect({ cookie: await sessionCookie(app, await addUser(app, town.admin)) });
		await connected(socket);

		const reply = await askRaw(socket, 'account:whoami', ...args);

		expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
		expect(await whoami(socket)).toMatchObject({ ok: true });
	});

	test('commands without an acknowledgement, and unknown events, get no reply and break nothing', async ({
		app,
		town,
		connect
	}) => {
		const socket = connect({ cookie: await sessionCookie(app, await addUser(app, town.admin)) });
		await connected(socket);
		const received: string[] = [];
		socket.onAny((event: string) => received.push(event));

		untyped(socket).emit('account:whoami', {});
		untyped(socket).emit('account:whoami', 'not even an object');
		untyped(socket).emit('no-such:event', { a: 1 }, () => {});
		const reply = await whoami(socket);

		expect(reply).toMatchObject({ ok: true });
		expect(received).toEqual([]);
		expect(socket.connected).toBe(true);
	});

	test('an oversized message drops only that connection', async ({ app, town, connect }) => {
		const cookie = await sessionCookie(app, await addUser(app, town.admin));
		const greedy = connect({ cookie });
		const bystander = connect({ cookie });
		await Promise.all([connected(greedy), connected(bystander)]);
		const greedyGone = disconnected(greedy);

		untyped(greedy).emit('account:whoami', { blob: 'x'.repeat(2_000_000) }, () => {});

		expect(await greedyGone).toBe('transport close');
		expect(await whoami(bystander)).toMatchObject({ ok: true });
	});
});

describe('ending sessions', () => {
	/** A user logged in and connected, with promises for the end of their connection. */
	async function connectedUser(app: App, admin: Actor, connect: Connect) {
		const user = await addUser(app, admin);
		const { token } = await logInAs(app, user.username, user.password);
		const cookie = `${SESSION_COOKIE}=${token}`;
		const { sessionId } = (await validateSession(app.db, token, app.config.sessionDays))!;
		const socket = connect({ cookie });
		await connected(socket);
		const ended = new Promise<{ reason: string }>((resolve) => socket.once('session:ended', resolve));
		return { user, cookie, sessionId, ended, gone: disconnected(socket) };
	}

	test('deactivating the user emits session:ended and disconnects the socket', async ({ app, town, connect }) => {
		const { user, cookie, ended, gone } = await connectedUser(app, town.admin, connect);

		await setUserActive(app, town.admin, { userId: user.userId }, false);

		expect(await ended).toEqual({ reason: 'revoked' });
		expect(await gone).toBe('io server disconnect');
		expect((await refusal(connect({ cookie }))).message).toBe('UNAUTHENTICATED');
	});

	test('a password reset ends the live connection too', async ({ app, town, connect }) => {
		const { user, ended, gone } = await connectedUser(app, town.admin, connect);

		await resetPassword(app, town.admin, { userId: user.userId });

		expect(await ended).toEqual({ reason: 'revoked' });
		expect(await gone).toBe('io server disconnect');
	});

	test('a role change ends the live connection, so the old role is not kept', async ({ app, town, connect }) => {
		const { user, ended, gone } = await connectedUser(app, town.admin, connect);

		await updateUser(app, town.admin, { userId: user.userId, role: 'party', orgNodeId: town.townId });

		expect(await ended).toEqual({ reason: 'revoked' });
		expect(await gone).toBe('io server disconnect');
	});

	test("endSession drops that session's sockets only, with reason logged_out", async ({ app, town, connect }) => {
		const { user, sessionId, ended, gone } = await connectedUser(app, town.admin, connect);
		const otherDevice = connect({ cookie: await sessionCookie(app, user) });
		await connected(otherDevice);

		app.realtime.endSession(sessionId);

		expect(await ended).toEqual({ reason: 'logged_out' });
		expect(await gone).toBe('io server disconnect');
		expect(await whoami(otherDevice)).toMatchObject({ ok: true });
	});
});
