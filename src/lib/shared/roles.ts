export const ROLES = ['admin', 'mediator', 'legal_expert', 'grid_worker', 'party'] as const;
export type Role = (typeof ROLES)[number];

/** Where each role lands after logging in. */
export const ROLE_HOME: Record<Role, string> = {
	admin: '/admin',
	mediator: '/mediator',
	legal_expert: '/expert',
	grid_worker: '/grid',
	party: '/party'
};

/** The logged-in person as every route and socket handler sees them. */
export type Actor = {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	orgNodeId: string | null;
	mustChangePassword: boolean;
};
