import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { validateSession } from '#server/auth/sessions.ts';
import { committeeMembers, committees, users } from '#server/db/schema.ts';
import { createCommittee } from '#server/orgs/create-committee.ts';
import { createUser } from '#server/users/create-user.ts';
import { listUsers } from '#server/users/list-users.ts';
import { resetPassword } from '#server/users/reset-password.ts';
import { setUserActive } from '#server/users/set-user-active.ts';
import { updateUser } from '#server/users/update-user.ts';
import type { Actor } from '#shared/roles.ts';
import { ADMIN_PASSWORD } from '../support/test-app.ts';
import {
	actorOfUser,
	addOrgNode,
	addUser,
	expectAppError,
	logInAs,
	sessionIdsOf,
	test
} from '../support/integration-test.ts';

async function userRow(app: App, userId: string) {
	const [row] = await app.db.select().from(users).where(eq(users.id, userId));
	return row;
}

async function membershipOf(app: App, userId: string) {
	return app.db
		.select({ committeeId: committeeMembers.committeeId, position: committeeMembers.position })
		.from(committeeMembers)
		.where(eq(committeeMembers.userId, userId));
}

async function townCommitteeId(app: App, townId: string): Promise<string> {
	const [committee] = await app.db.select().from(committees).where(eq(committees.orgNodeId, townId));
	return committee.id;
}

/** A village with its own committee and admin, beside the rest of the town. */
async function villageWithAdmin(app: App, townAdmin: Actor, townId: string) {
	const village = await addOrgNode(app, townAdmin, { id: townId }, 'village', '东村');
	const committee = await createCommittee(app, townAdmin, { orgNodeId: village.id, name: '东村调委会' });
	const villageAdmin = await actorOfUser(app, await addUser(app, townAdmin, { role: 'admin', orgNodeId: village.id }));
	return { village, committee, villageAdmin };
}

describe('createUser', () => {
	test('returns a temporary password that logs in and must be changed', async ({ app, town }) => {
		const { userId, password } = await createUser(app, town.admin, {
			username: 'zhang.san',
			displayName: '张三',
			phone: '138 0000 0000',
			role: 'mediator',
			orgNodeId: town.townId
		});

		expect(password).toMatch(/^[a-z2-9]{12}$/);
		expect(await userRow(app, userId)).toMatchObject({
			username: 'zhang.san',
			displayName: '张三',
			phone: '138 0000 0000',
			role: 'mediator',
			orgNodeId: town.townId,
			active: true,
			mustChangePassword: true
		});
		const { actor } = await logInAs(app, 'zhang.san', password);
		expect(actor).toMatchObject({ id: userId, role: 'mediator', mustChangePassword: true });
	});

	test('each user gets a different temporary password', async ({ app, town }) => {
		const first = await addUser(app, town.admin);
		const second = await addUser(app, town.admin);
		expect(first.password).not.toBe(second.password);
	});

	test('can seat the user on a committee in a position', async ({ app, town }) => {
		const committeeId = await townCommitteeId(app, town.townId);

		const user = await addUser(app, town.admin, { committeeId, position: 'head' });

		expect(await membershipOf(app, user.userId)).toEqual([{ committeeId, position: 'head' }]);
		const listed = (await listUsers(app.db, town.admin)).find((row) => row.id === user.userId);
		expect(listed).toMatchObject({ committeeName: '青石镇人民调解委员会', position: 'head', orgNodeName: '青石镇' });
	});

	test('a username already taken, in any case, is VALIDATION taken', async ({ app, town }) => {
		await addUser(app, town.admin, { username: 'Zhang.San' });
		const before = await app.db.$count(users);

		await expectAppError(addUser(app, town.admin, { username: 'zhang.san' }), 'VALIDATION', { username: ['taken'] });
		await expectAppError(addUser(app, town.admin, { username: 'ADMIN' }), 'VALIDATION', { username: ['taken'] });
		expect(await app.db.$count(users)).toBe(before);
	});

	test('an unknown committee is VALIDATION and leaves no half-made user', async ({ app, town }) => {
		const before = await app.db.$count(users);

		await expectAppError(addUser(app, town.admin, { committeeId: randomUUID() }), 'VALIDATION', {
			committeeId: ['invalid']
		});
		expect(await app.db.$count(users)).toBe(before);
	});

	test('malformed input is VALIDATION with field codes', async ({ app, town }) => {
		await expectAppError(
			createUser(app, town.admin, {
				username: 'x',
				displayName: '',
				role: 'king',
				orgNodeId: town.townId,
				phone: 'call me'
			}),
			'VALIDATION',
			{ username: ['too_short'], displayName: ['required'], role: ['invalid'], phone: ['invalid'] }
		);
	});

	test('a village admin cannot place users or committee seats outside the village', async ({ app, town }) => {
		const { village, committee, villageAdmin } = await villageWithAdmin(app, town.admin, town.townId);
		const before = await app.db.$count(users);

		await expectAppError(addUser(app, villageAdmin, { orgNodeId: town.townId }), 'NOT_FOUND');
		await expectAppError(
			addUser(app, villageAdmin, { orgNodeId: village.id, committeeId: await townCommitteeId(app, town.townId) }),
			'NOT_FOUND'
		);
		expect(await app.db.$count(users)).toBe(before);
		await expect(
			addUser(app, villageAdmin, { orgNodeId: village.id, committeeId: committee.id })
		).resolves.toBeDefined();
	});

	test('a user without user:manage is FORBIDDEN', async ({ app, town }) => {
		const mediator = await actorOfUser(app, await addUser(app, town.admin));
		await expectAppError(addUser(app, mediator, { orgNodeId: town.townId }), 'FORBIDDEN');
	});
});

describe('updateUser', () => {
	test('changes role, home node and committee; a new role ends the sessions', async ({ app, town }) => {
		const { village, committee } = await villageWithAdmin(app, town.admin, town.townId);
		const user = await addUser(app, town.admin, { committeeId: await townCommitteeId(app, town.townId) });
		const { token } = await logInAs(app, user.username, user.password);

		await updateUser(app, town.admin, {
			userId: user.userId,
			role: 'legal_expert',
			orgNodeId: village.id,
			committeeId: committee.id,
			position: 'head'
		});

		expect(await userRow(app, user.userId)).toMatchObject({ role: 'legal_expert', orgNodeId: village.id });
		expect(await membershipOf(app, user.userId)).toEqual([{ committeeId: committee.id, position: 'head' }]);
		expect(await validateSession(app.db, token, app.config.sessionDays)).toBeNull();
		expect(await sessionIdsOf(app, user.userId)).toEqual([]);
	});

	test('keeping the role keeps the sessions; no committee removes the seat', async ({ app, town }) => {
		const { village } = await villageWithAdmin(app, town.admin, town.townId);
		const user = await addUser(app, town.admin, { committeeId: await townCommitteeId(app, town.townId) });
		const { token } = await logInAs(app, user.username, user.password);

		await updateUser(app, town.admin, {
			userId: user.userId,
			role: 'mediator',
			orgNodeId: village.id,
			committeeId: ''
		});

		expect(await membershipOf(app, user.userId)).toEqual([]);
		expect((await validateSession(app.db, token, app.config.sessionDays))?.actor.orgNodeId).toBe(village.id);
	});

	test('an admin cannot change their own role', async ({ app, town }) => {
		await expectAppError(
			updateUser(app, town.admin, { userId: town.admin.id, role: 'mediator', orgNodeId: town.townId }),
			'CONFLICT'
		);
		expect((await userRow(app, town.admin.id)).role).toBe('admin');
	});
});

describe('setUserActive', () => {
	test('deactivating ends the sessions and refuses log-in; reactivating allows it again', async ({ app, town }) => {
		const user = await addUser(app, town.admin);
		const { token } = await logInAs(app, user.username, user.password);

		await setUserActive(app, town.admin, { userId: user.userId }, false);

		expect((await userRow(app, user.userId)).active).toBe(false);
		expect(await validateSession(app.db, token, app.config.sessionDays)).toBeNull();
		expect(await sessionIdsOf(app, user.userId)).toEqual([]);
		await expectAppError(logInAs(app, user.username, user.password), 'INVALID_CREDENTIALS');

		await setUserActive(app, town.admin, { userId: user.userId }, true);
		await expect(logInAs(app, user.username, user.password)).resolves.toMatchObject({ actor: { id: user.userId } });
	});

	test('an admin cannot deactivate themselves', async ({ app, town }) => {
		await expectAppError(setUserActive(app, town.admin, { userId: town.admin.id }, false), 'CONFLICT');
		await expect(logInAs(app, town.admin.username, ADMIN_PASSWORD)).resolves.toBeDefined();
	});
});

describe('resetPassword', () => {
	test('gives a new temporary password; the old one stops working and sessions end', async ({ app, town }) => {
		const user = await addUser(app, town.admin);
		const { token } = await logInAs(app, user.username, user.password);

		const { password } = await resetPassword(app, town.admin, { userId: user.userId });

		expect(password).not.toBe(user.password);
		expect(await validateSession(app.db, token, app.config.sessionDays)).toBeNull();
		await expectAppError(logInAs(app, user.username, user.password), 'INVALID_CREDENTIALS');
		const { actor } = await logInAs(app, user.username, password);
		expect(actor.mustChangePassword).toBe(true);
	});
});

describe('scope', () => {
	test('users outside the admin subtree are NOT_FOUND to every operation', async ({ app, town }) => {
		const { village, villageAdmin } = await villageWithAdmin(app, town.admin, town.townId);
		const townUser = await addUser(app, town.admin);
		const villageUser = await addUser(app, villageAdmin, { orgNodeId: village.id });
		const { token } = await logInAs(app, townUser.username, townUser.password);

		const outside = { userId: townUser.userId };
		await expectAppError(
			updateUser(app, villageAdmin, { ...outside, role: 'party', orgNodeId: village.id }),
			'NOT_FOUND'
		);
		await expectAppError(setUserActive(app, villageAdmin, outside, false), 'NOT_FOUND');
		await expectAppError(resetPassword(app, villageAdmin, outside), 'NOT_FOUND');
		await expectAppError(setUserActive(app, villageAdmin, { userId: town.admin.id }, false), 'NOT_FOUND');

		expect(await userRow(app, townUser.userId)).toMatchObject({
			role: 'mediator',
			orgNodeId: town.townId,
			active: true
		});
		expect(await validateSession(app.db, token, app.config.sessionDays)).not.toBeNull();
		expect((await listUsers(app.db, villageAdmin)).map((row) => row.id).sort()).toEqual(
			[villageAdmin.id, villageUser.userId].sort()
		);
	});

	test('a user may not be moved to a node outside the admin subtree', async ({ app, town }) => {
		const { village, villageAdmin } = await villageWithAdmin(app, town.admin, town.townId);
		const villageUser = await addUser(app, villageAdmin, { orgNodeId: village.id });

		await expectAppError(
			updateUser(app, villageAdmin, { userId: villageUser.userId, role: 'mediator', orgNodeId: town.townId }),
			'NOT_FOUND'
		);
		expect((await userRow(app, villageUser.userId)).orgNodeId).toBe(village.id);
	});

	test('an unknown user is NOT_FOUND and a malformed id VALIDATION', async ({ app, town }) => {
		await expectAppError(resetPassword(app, town.admin, { userId: randomUUID() }), 'NOT_FOUND');
		await expectAppError(resetPassword(app, town.admin, { userId: 'admin' }), 'VALIDATION', { userId: ['invalid'] });
	});
});
