import { describe, expect, it } from 'vitest';
import { PERMISSIONS, roleHas, seesAsCommittee, type Permission } from './permissions.ts';
import { ROLES, type Role } from './roles.ts';

/** Written out by hand, so that a change to a permission has to be made here too. */
const EXPECTED: Record<Permission, Role[]> = {
	'account:use': ['admin', 'mediator', 'legal_expert', 'grid_worker', 'party'],
	'org:manage': ['admin'],
	'user:manage': ['admin'],
	'cases:list': ['admin', 'mediator', 'legal_expert', 'grid_worker', 'party'],
	'cases:register': ['mediator'],
	'cases:mediate': ['mediator'],
	'cases:committee-view': ['admin', 'mediator'],
	'cases:assign': ['admin', 'mediator'],
	'cases:route': ['admin'],
	'audit:verify': ['admin'],
	'consultations:answer': ['legal_expert'],
	'disputes:report': ['grid_worker'],
	'cases:follow-own': ['party'],
	'sessions:schedule': ['mediator'],
	'consultations:request': ['mediator', 'party'],
	'statistics:view': ['admin', 'mediator'],
	'cases:export': ['admin', 'mediator'],
	'warnings:handle': ['admin', 'mediator'],
	'warnings:configure': ['admin'],
	'settings:manage': ['admin']
};
const NAMES = Object.keys(PERMISSIONS) as Permission[];

describe('the permission table', () => {
	it('has the permissions written out here, no more', () => {
		expect(NAMES.toSorted()).toEqual(Object.keys(EXPECTED).toSorted());
	});

	const matrix = NAMES.flatMap((permission) =>
		ROLES.map((role) => ({ permission, role, allowed: EXPECTED[permission].includes(role) }))
	);

	it.for(matrix)('$role / $permission → $allowed', ({ permission, role, allowed }) => {
		expect(roleHas(role, permission)).toBe(allowed);
	});
});

describe('seesAsCommittee', () => {
	it('is the view of mediators and admins only', () => {
		expect(ROLES.filter((role) => seesAsCommittee({ role }))).toEqual(['admin', 'mediator']);
	});
});
