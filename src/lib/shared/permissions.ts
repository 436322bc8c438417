import type { Actor, Role } from './roles.ts';

/**
 * Every permission a route or socket handler checks, with the roles that hold
 * it. Scope (which cases, which subtree) is checked by the service on top.
 */
export const PERMISSIONS = {
	'account:use': ['admin', 'mediator', 'legal_expert', 'grid_worker', 'party'],
	'org:manage': ['admin'],
	'user:manage': ['admin'],
	'cases:list': ['admin', 'mediator', 'legal_expert', 'grid_worker', 'party'],
	'cases:register': ['mediator'],
	'cases:mediate': ['mediator'],
	/** Sees a case as its committee does: contact data, internal events, every session and invitation. */
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
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function roleHas(role: Role, permission: Permission): boolean {
	return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Whether the actor sees the cases they may see as the committee does, rather than as one taking part. */
export function seesAsCommittee(actor: Pick<Actor, 'role'>): boolean {
	return roleHas(actor.role, 'cases:committee-view');
}
