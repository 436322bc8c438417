import { redirect } from '@sveltejs/kit';
import { isSetupComplete } from '#server/setup/is-setup-complete.ts';
import { ROLE_HOME } from '$lib/shared/roles';
import type { PageServerLoad } from './$types';

/** The front door: setup on a fresh instance, then log-in, then the role's own home. */
export const load: PageServerLoad = async ({ locals }) => {
	if (locals.actor) redirect(303, ROLE_HOME[locals.actor.role]);
	if (!(await isSetupComplete(locals.app.db))) redirect(303, '/setup');
	redirect(303, '/login');
};
