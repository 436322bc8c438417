import { eq } from 'drizzle-orm';
import { describe, expect, test as unitTest } from 'vitest';
import { LoginThrottle } from '#server/auth/login-throttle.ts';
import { authSessions } from '#server/db/schema.ts';
import { setUserActive } from '#server/users/set-user-active.ts';
import { ADMIN_PASSWORD } from '../support/test-app.ts';
import { addUser, appErrorOf, CLIENT, expectAppError, logInAs, test } from '../support/integration-test.ts';

/** What a client could observe of a refusal: everything the error carries. */
const observable = (error: Error & { code?: string }) => ({ ...error, message: error.message, name: error.name });

describe('logIn', () => {
	test('returns the actor and a session token for the right password', async ({ app, town }) => {
		const { actor, token, expiresAt } = await logInAs(app, town.admin.username, ADMIN_PASSWORD);

		expect(actor).toEqual(town.admin);
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
		const rows = await app.db.select().from(authSessions).where(eq(authSessions.userId, actor.id));
		expect(rows.map((row) => ({ ip: row.ip, userAgent: row.userAgent }))).toContainEqual({
			ip: CLIENT.ip,
			userAgent: CLIENT.userAgent
		});
	});

	test('the username is matched without regard to case', async ({ app, town }) => {
		const { actor } = await logInAs(app, 'ADMIN', ADMIN_PASSWORD);
		expect(actor.id).toBe(town.admin.id);
	});

	test('a wrong password and an unknown user are refused identically', async ({ app, town }) => {
		const wrongPassword = await expectAppError(
			logInAs(app, town.admin.username, 'not-the-password'),
			'INVALID_CREDENTIALS'
		);
		const unknownUser = await expectAppError(logInAs(app, 'nobody', ADMIN_PASSWORD), 'INVALID_CREDENTIALS');

		expect(observable(unknownUser)).toEqual(observable(wrongPassword));
		expect(wrongPassword.fields).toBeUndefined();
	});

	test('a deactivated user is refused like a wrong password, even with the right one', async ({ app, town }) => {
		const user = await addUser(app, town.admin);
		await setUserActive(app, town.admin, { userId: user.userId }, false);

		const refusal = await expectAppError(logInAs(app, user.username, user.password), 'INVALID_CREDENTIALS');
		const wrongPassword = await appErrorOf(logInAs(app, town.admin.username, 'not-the-password'));
		expect(observable(refusal)).toEqual(observable(wrongPassword));
	});

	test('missing credentials are a VALIDATION error', async ({ app }) => {
		await expectAppError(logInAs(app, '  ', ''), 'VALIDATION', { username: ['required'], password: ['required'] });
	});

	describe('throttling', () => {
		test.override('appEnv', { LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_MINUTES: '15' });

		const failTimes = async (count: number, logIn: () => Promise<unknown>) => {
			for (let i = 0; i < count; i++) await expectAppError(logIn(), 'INVALID_CREDENTIALS');
		};

		test('after LOGIN_MAX_FAILURES failures even the right password is RATE_LIMITED', async ({ app, town }) => {
			await failTimes(3, () => logInAs(app, town.admin.username, 'wrong'));

			const error = await expectAppError(logInAs(app, town.admin.username, ADMIN_PASSWORD), 'RATE_LIMITED');
			expect(error.retryAfterSeconds).toBeGreaterThan(0);
			expect(error.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
		});

		test('failures for an unknown user count the same way', async ({ app }) => {
			await failTimes(3, () => logInAs(app, 'ghost', 'wrong'));
			await expectAppError(logInAs(app, 'ghost', 'wrong'), 'RATE_LIMITED');
		});

		test('the limit is per address: another address may still log in', async ({ app, town }) => {
			await failTimes(3, () => logInAs(app, town.admin.username, 'wrong'));

			const { actor } = await logInAs(app, town.admin.username, ADMIN_PASSWORD, {
				ip: '198.51.100.9',
				userAgent: null
			});
			expect(actor.id).toBe(town.admin.id);
		});

		test('30 log-ins sent at once: at most LOGIN_MAX_FAILURES are checked, and the right one among them is refused', async ({
			app,
			town
		}) => {
			const { username } = town.admin;
			const passwords = [...Array.from({ length: 29 }, (_, i) => `wrong guess ${i}`), ADMIN_PASSWORD];

			const outcomes = await Promise.all(passwords.map((password) => appErrorOf(logInAs(app, username, password))));

			const checked = outcomes.filter((error) => error.code === 'INVALID_CREDENTIALS');
			expect(checked.length).toBeLessThanOrEqual(app.config.login.maxFailures);
			expect(outcomes.filter((error) => error.code === 'RATE_LIMITED')).toHaveLength(30 - checked.length);
			expect(outcomes.at(-1)!.code).toBe('RATE_LIMITED');
			await expectAppError(logInAs(app, username, ADMIN_PASSWORD), 'RATE_LIMITED');
		});

		test('log-ins that succeed do not use up the address', async ({ app, town }) => {
			// Far more right log-ins than the address allows failures (ten times the pair limit): an office behind one address.
			for (let i = 0; i < 35; i++) await logInAs(app, town.admin.username, ADMIN_PASSWORD);
			await failTimes(2, () => logInAs(app, 'ghost', 'wrong'));
			await expect(logInAs(app, town.admin.username, ADMIN_PASSWORD)).resolves.toBeDefined();
		});

		test('a success resets the count for that address and username', async ({ app, town }) => {
			const { username } = town.admin;
			await failTimes(2, () => logInAs(app, username, 'wrong'));
			await logInAs(app, username, ADMIN_PASSWORD);
			await failTimes(2, () => logInAs(app, username, 'wrong'));

			await expect(logInAs(app, username, ADMIN_PASSWORD)).resolves.toMatchObject({ actor: { id: town.admin.id } });
		});
	});
});

describe('LoginThrottle', () => {
	const MINUTE = 60_000;
	const t0 = Date.UTC(2025, 0, 1, 8, 0, 0);
	const newThrottle = () => new LoginThrottle({ maxFailures: 3, windowMinutes: 15 });

	unitTest('allows attempts until the pair reaches the limit, then says how long to wait', () => {
		const throttle = newThrottle();
		throttle.recordFailure('10.0.0.1', 'zhang', t0);
		throttle.recordFailure('10.0.0.1', 'zhang', t0 + MINUTE);
		expect(throttle.retryAfter('10.0.0.1', 'zhang', t0 + MINUTE)).toBe(0);

		throttle.recordFailure('10.0.0.1', 'zhang', t0 + 2 * MINUTE);

		expect(throttle.retryAfter('10.0.0.1', 'zhang', t0 + 2 * MINUTE)).toBe(13 * 60);
		expect(throttle.retryAfter('10.0.0.1', 'zhang', t0 + 14 * MINUTE + 500)).toBe(60);
		expect(throttle.retryAfter('10.0.0.1', 'ZHANG', t0 + 2 * MINUTE)).toBe(13 * 60);
		expect(throttle.retryAfter('10.0.0.1', 'li', t0 + 2 * MINUTE)).toBe(0);
		expect(throttle.retryAfter('10.0.0.2', 'zhang', t0 + 2 * MINUTE)).toBe(0);
	});

	unitTest('the window expires: waiting it out allows a fresh start', () => {
		const throttle = newThrottle();
		for (let i = 0; i < 3; i++) throttle.recordFailure('10.0.0.1', 'zhang', t0);

		expect(throttle.retryAfter('10.0.0.1', 'zhang', t0 + 15 * MINUTE - 1)).toBe(1);
		expect(throttle.retryAfter('10.0.0.1', 'zhang', t0 + 15 * MINUTE)).toBe(0);

		throttle.recordFailure('10.0.0.1', 'zhang', t0 + 16 * MINUTE);
		expect(throttle.retryAfter('10.0.0.1', 'zhang', t0 + 16 * MINUTE)).toBe(0);
	});

	unitTest('a success clears the pair but not the address count', () => {
		const throttle = newThrottle();
		for (let i = 0; i < 3; i++) throttle.recordFailure('10.0.0.1', 'zhang', t0);
		throttle.recordSuccess('10.0.0.1', 'Zhang');
		expect(throttle.retryAfter('10.0.0.1', 'zhang', t0)).toBe(0);

		for (let i = 0; i < 27; i++) throttle.recordFailure('10.0.0.1', `user${i}`, t0);
		throttle.recordSuccess('10.0.0.1', 'zhang');
		expect(throttle.retryAfter('10.0.0.1', 'zhang', t0)).toBe(15 * 60);
	});

	unitTest('one address trying many usernames is limited at ten times the pair limit', () => {
		const throttle = newThrottle();
		for (let i = 0; i < 29; i++) throttle.recordFailure('10.0.0.1', `user${i}`, t0);
		expect(throttle.retryAfter('10.0.0.1', 'someone-new', t0)).toBe(0);

		throttle.recordFailure('10.0.0.1', 'user29', t0);

		expect(throttle.retryAfter('10.0.0.1', 'someone-new', t0)).toBe(15 * 60);
		expect(throttle.retryAfter('10.0.0.3', 'someone-new', t0)).toBe(0);
	});
});
