import { describe, expect, test } from 'vitest';
import { AppError } from '#shared/errors.ts';
import type { Permission } from '#shared/permissions.ts';
import { ROLES, type Actor, type Role } from '#shared/roles.ts';
import { authorize } from './authorize.ts';

/** Written out by hand, so that a change to these permissions has to be made here too. */
const EXPECTED = {
	'account:use': ['admin', 'mediator', 'legal_expert', 'grid_worker', 'party'],
	'org:manage': ['admin'],
	'user:manage': ['admin']
} satisfies Partial<Record<Permission, readonly Role[]>>;
const CHECKED = Object.keys(EXPECTED) as (keyof typeof EXPECTED)[];

const actorWith = (role: Role): Actor => ({
	id: '00000000-0000-4000-8000-000000000001',
	username: role,
	displayName: role,
	role,
	orgNodeId: null,
	mustChangePassword: false
});

/** The AppError a check throws, or undefined when it passes. */
function refusalOf(check: () => unknown): AppError | undefined {
	try {
		check();
		return undefined;
	} catch (error) {
		expect(error).toBeInstanceOf(AppError);
		return error as AppError;
	}
}

describe('authorize', () => {
	const matrix = CHECKED.flatMap((permission) =>
		ROLES.map((role) => ({ permission, role, allowed: (EXPECTED[permission] as readonly Role[]).includes(role) }))
	);

	test.for(matrix)('$role / $permission → allowed: $allowed', ({ permission, role, allowed }) => {
		const actor = actorWith(role);
		if (allowed) {
			expect(authorize(actor, permission)).toBe(actor);
		} else {
			expect(refusalOf(() => authorize(actor, permission))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
		}
	});

	test.for([null, undefined])('no actor (%s) is UNAUTHENTICATED for every permission', (actor) => {
		for (const permission of CHECKED) {
			expect(refusalOf(() => authorize(actor, permission))).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
		}
	});
});
