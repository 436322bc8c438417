import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import type { Actor } from '#shared/roles.ts';
import { changePassword } from '#server/auth/change-password.ts';
import { validateSession } from '#server/auth/sessions.ts';
import { users } from '#server/db/schema.ts';
import { addUser, appErrorOf, CLIENT, expectAppError, logInAs, test } from '../support/integration-test.ts';

const NEW_PASSWORD = 'a brand new password';

/** Changes the password as the session's user does on the account page, from the test's address. */
const changeAs = (app: App, session: { actor: Actor; sessionId: string }, input: Record<string, string>) =>
	changePassword(app, session.actor, session.sessionId, input, CLIENT);

/** Logs in twice as a freshly created user: the session that changes the password, and another one. */
async function userWithTwoSessions(app: App, admin: Parameters<typeof addUser>[1]) {
	const user = await addUser(app, admin);
	const current = await logInAs(app, user.username, user.password);
	const other = await logInAs(app, user.username, user.password);
	const session = (await validateSession(app.db, current.token, app.config.sessionDays))!;
	return { user, current, other, session };
}

describe('changePassword', () => {
	test('a wrong current password is a VALIDATION error on currentPassword and changes nothing', async ({
		app,
		town
	}) => {
		const { user, session, other } = await userWithTwoSessions(app, town.admin);

		await expectAppError(
			changeAs(app, session, {
				currentPassword: 'not my password',
				password: NEW_PASSWORD,
				passwordConfirm: NEW_PASSWORD
			}),
			'VALIDATION',
			{ currentPassword: ['invalid'] }
		);

		await expect(logInAs(app, user.username, user.password)).resolves.toBeDefined();
		expect(await validateSession(app.db, other.token, app.config.sessionDays)).not.toBeNull();
	});

	test.for([
		['too short', { password: 'short', passwordConfirm: 'short' }, { password: ['too_short'] }],
		[
			'not confirmed',
			{ password: NEW_PASSWORD, passwordConfirm: `${NEW_PASSWORD}.` },
			{ passwordConfirm: ['mismatch'] }
		]
	] as const)('a new password %s is a VALIDATION error', async ([, change, fields], { app, town }) => {
		const { user, session } = await userWithTwoSessions(app, town.admin);

		await expectAppError(changeAs(app, session, { currentPassword: user.password, ...change }), 'VALIDATION', fields);
		await expect(logInAs(app, user.username, user.password)).resolves.toBeDefined();
	});

	test('success clears mustChangePassword, ends the other sessions and keeps this one', async ({ app, town }) => {
		const { user, current, other, session } = await userWithTwoSessions(app, town.admin);
		expect(session.actor.mustChangePassword).toBe(true);

		await changeAs(app, session, {
			currentPassword: user.password,
			password: NEW_PASSWORD,
			passwordConfirm: NEW_PASSWORD
		});

		const [row] = await app.db.select().from(users).where(eq(users.id, user.userId));
		expect(row.mustChangePassword).toBe(false);
		expect(row.passwordHash).toMatch(/^\$argon2id\$/);
		expect(await validateSession(app.db, other.token, app.config.sessionDays)).toBeNull();
		const kept = await validateSession(app.db, current.token, app.config.sessionDays);
		expect(kept?.actor.mustChangePassword).toBe(false);
	});

	test('afterwards the new password logs in and the old one does not', async ({ app, town }) => {
		const { user, session } = await userWithTwoSessions(app, town.admin);

		await changeAs(app, session, {
			currentPassword: user.password,
			password: NEW_PASSWORD,
			passwordConfirm: NEW_PASSWORD
		});

		const { actor } = await logInAs(app, user.username, NEW_PASSWORD);
		expect(actor).toMatchObject({ id: user.userId, mustChangePassword: false });
		await expectAppError(logInAs(app, user.username, user.password), 'INVALID_CREDENTIALS');
	});

	test('30 guesses sent at once: at most LOGIN_MAX_FAILURES are checked, and the right one among them is refused', async ({
		app,
		town
	}) => {
		const { user, session } = await userWithTwoSessions(app, town.admin);
		const change = (currentPassword: string) =>
			changeAs(app, session, { currentPassword, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });

		const guesses = [...Array.from({ length: 29 }, (_, i) => `wrong guess ${i}`), user.password];
		const outcomes = await Promise.all(guesses.map((guess) => appErrorOf(change(guess))));

		const checked = outcomes.filter((error) => error.code === 'VALIDATION');
		expect(checked.length).toBeLessThanOrEqual(app.config.login.maxFailures);
		expect(outcomes.filter((error) => error.code === 'RATE_LIMITED')).toHaveLength(30 - checked.length);
		expect(outcomes.at(-1)).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
		// Still locked for this address, the right password too; the password is unchanged.
		await expectAppError(change(user.password), 'RATE_LIMITED');
		await expect(
			logInAs(app, user.username, user.password, { ip: '198.51.100.9', userAgent: null })
		).resolves.toBeDefined();
	});
});
