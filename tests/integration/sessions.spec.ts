import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { revokeSession, revokeUserSessions, validateSession } from '#server/auth/sessions.ts';
import { authSessions, users } from '#server/db/schema.ts';
import { ADMIN_PASSWORD } from '../support/test-app.ts';
import { logInAs, test } from '../support/integration-test.ts';

const DAY_MS = 86_400_000;

function validate(app: App, token: string) {
	return validateSession(app.db, token, app.config.sessionDays);
}

async function storedExpiry(app: App, sessionId: string): Promise<Date> {
	const [row] = await app.db
		.select({ expiresAt: authSessions.expiresAt })
		.from(authSessions)
		.where(eq(authSessions.id, sessionId));
	return row.expiresAt;
}

async function setExpiry(app: App, sessionId: string, expiresAt: Date): Promise<void> {
	await app.db.update(authSessions).set({ expiresAt }).where(eq(authSessions.id, sessionId));
}

describe('sessions', () => {
	test('a fresh session validates to its actor and lasts SESSION_DAYS', async ({ app, town }) => {
		const before = Date.now();
		const { token } = await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		const after = Date.now();

		const session = await validate(app, token);

		expect(session?.actor).toEqual(town.admin);
		const expiry = (await storedExpiry(app, session!.sessionId)).getTime();
		expect(expiry).toBeGreaterThanOrEqual(before + 14 * DAY_MS);
		expect(expiry).toBeLessThanOrEqual(after + 14 * DAY_MS);
	});

	test('the token itself is never stored, only its SHA-256', async ({ app, town }) => {
		const { token } = await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		const session = await validate(app, token);

		const rows = await app.db.select().from(authSessions);
		expect(rows).toHaveLength(2);
		expect(JSON.stringify(rows)).not.toContain(token);
		expect(session!.sessionId).not.toBe(token);
		expect(rows.map((row) => row.id)).toContain(createHash('sha256').update(token).digest('base64url'));
	});

	test('malformed tokens are rejected', async ({ app, town }) => {
		const { token } = await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		const malformed = ['', 'abc', '!'.repeat(43), `${token}x`, token.slice(1), "' or 1=1 --", 'a'.repeat(10_000)];

		for (const candidate of malformed) expect(await validate(app, candidate)).toBeNull();
		expect(await validate(app, token)).not.toBeNull();
	});

	test('a well-formed token that was never issued is rejected', async ({ app, town }) => {
		await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		expect(await validate(app, randomBytes(32).toString('base64url'))).toBeNull();
	});

	test('an expired session is rejected and not revived', async ({ app, town }) => {
		const { token } = await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		const { sessionId } = (await validate(app, token))!;
		const past = new Date(Date.now() - 60_000);
		await setExpiry(app, sessionId, past);

		expect(await validate(app, token)).toBeNull();
		expect(await storedExpiry(app, sessionId)).toEqual(past);
	});

	test('the session of a deactivated user is rejected', async ({ app, town }) => {
		const { token } = await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		await app.db.update(users).set({ active: false }).where(eq(users.id, town.admin.id));

		expect(await validate(app, token)).toBeNull();
	});

	test('revokeSession ends that session only', async ({ app, town }) => {
		const first = await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		const second = await logInAs(app, town.admin.username, ADMIN_PASSWORD);

		await revokeSession(app.db, (await validate(app, first.token))!.sessionId);

		expect(await validate(app, first.token)).toBeNull();
		expect(await validate(app, second.token)).not.toBeNull();
	});

	test('revokeUserSessions ends every session of the user', async ({ app, town }) => {
		const first = await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		const second = await logInAs(app, town.admin.username, ADMIN_PASSWORD);

		await revokeUserSessions(app.db, town.admin.id);

		expect(await validate(app, first.token)).toBeNull();
		expect(await validate(app, second.token)).toBeNull();
		expect(await app.db.$count(authSessions)).toBe(0);
	});

	test('a session past half its life is extended to a full SESSION_DAYS', async ({ app, town }) => {
		const { token } = await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		const { sessionId } = (await validate(app, token))!;
		await setExpiry(app, sessionId, new Date(Date.now() + 2 * DAY_MS));

		const before = Date.now();
		const renewed = await validate(app, token);

		expect(renewed!.renewed).toBe(true);
		expect(renewed!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 14 * DAY_MS);
		expect(await storedExpiry(app, sessionId)).toEqual(renewed!.expiresAt);
	});

	test('a session within the first half of its life keeps its expiry', async ({ app, town }) => {
		const { token } = await logInAs(app, town.admin.username, ADMIN_PASSWORD);
		const { sessionId } = (await validate(app, token))!;
		const expiry = new Date(Date.now() + 10 * DAY_MS);
		await setExpiry(app, sessionId, expiry);

		const session = await validate(app, token);

		expect(session!.renewed).toBe(false);
		expect(session!.expiresAt).toEqual(expiry);
		expect(await storedExpiry(app, sessionId)).toEqual(expiry);
	});
});
