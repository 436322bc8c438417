import { eq } from 'drizzle-orm';
import { expect, test as base, vi } from 'vitest';
import type { App } from '#server/app.ts';
import { logIn } from '#server/auth/log-in.ts';
import type { Client } from '#server/auth/sessions.ts';
import { authSessions } from '#server/db/schema.ts';
import { createOrgNode } from '#server/orgs/create-org-node.ts';
import type { OrgNode } from '#server/orgs/subtree.ts';
import { createUser } from '#server/users/create-user.ts';
import type { OrgKind } from '#shared/orgs.ts';
import { AppError, type ErrorCode } from '#shared/errors.ts';
import type { Actor, Role } from '#shared/roles.ts';
import { actorOf, createTestApp, setUpTown } from './test-app.ts';
import { CLIENT } from './test-client.ts';

// Each test starts a database of its own (an initdb, for PGlite), which can take seconds on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

/**
 * `app`: a fresh app on an empty database, disposed after the test.
 * `town`: that app after first-run setup (the admin and the town's id).
 * `appEnv`: environment overrides for the app; change it with `test.override`.
 */
export const test = base
	.extend('appEnv', {} as Record<string, string>)
	.extend('app', async ({ appEnv }, { onCleanup }) => {
		const app = await createTestApp(appEnv);
		onCleanup(() => app.dispose());
		return app;
	})
	.extend('town', async ({ app }) => setUpTown(app));

export { CLIENT };

/** Awaits a promise that must reject with an AppError, and returns that error. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
	const outcome = await promise.then(
		(value: unknown) => ({ rejected: false as const, value }),
		(error: unknown) => ({ rejected: true as const, error })
	);
	if (!outcome.rejected) expect.fail(`expected an AppError, got ${JSON.stringify(outcome.value)}`);
	expect(outcome.error).toBeInstanceOf(AppError);
	return outcome.error as AppError;
}

/** Asserts the promise rejects with `code` (and exactly these field errors, when given). */
export async function expectAppError(
	promise: Promise<unknown>,
	code: ErrorCode,
	fields?: Readonly<Record<string, readonly string[]>>
): Promise<AppError> {
	const error = await appErrorOf(promise);
	expect(error.code).toBe(code);
	if (fields) expect(error.fields).toEqual(fields);
	return error;
}

export function logInAs(app: App, username: string, password: string, client: Client = CLIENT) {
	return logIn(app, { username, password }, client);
}

export function addOrgNode(
	app: App,
	actor: Actor,
	parent: { id: string },
	kind: OrgKind,
	name: string
): Promise<OrgNode> {
	return createOrgNode(app, actor, { parentId: parent.id, kind, name });
}

export type CreatedUser = { userId: string; username: string; password: string };

let userSerial = 0;

/** Creates a user (a mediator in the admin's own node unless told otherwise) and returns its log-in. */
export async function addUser(
	app: App,
	admin: Actor,
	fields: {
		username?: string;
		role?: Role;
		orgNodeId?: string;
		committeeId?: string;
		position?: 'head' | 'member';
	} = {}
): Promise<CreatedUser> {
	const username = fields.username ?? `user${++userSerial}`;
	const { userId, password } = await createUser(app, admin, {
		username,
		displayName: `User ${username}`,
		role: fields.role ?? 'mediator',
		orgNodeId: fields.orgNodeId ?? admin.orgNodeId,
		committeeId: fields.committeeId,
		position: fields.position
	});
	return { userId, username, password };
}

/** The Actor of a created user, from a real log-in. */
export function actorOfUser(app: App, user: CreatedUser): Promise<Actor> {
	return actorOf(app, user.username, user.password);
}

export async function sessionIdsOf(app: App, userId: string): Promise<string[]> {
	const rows = await app.db.select({ id: authSessions.id }).from(authSessions).where(eq(authSessions.userId, userId));
	return rows.map((row) => row.id);
}
