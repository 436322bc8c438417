import { redirect } from '@sveltejs/kit';
import { logIn } from '#server/auth/log-in.ts';
import { SESSION_COOKIE } from '#server/auth/sessions.ts';
import { isSetupComplete } from '#server/setup/is-setup-complete.ts';
import { clientOf, formAction, readForm } from '$lib/server/form-action';
import { sameOriginPath } from '$lib/server/same-origin-path';
import { sessionCookieOptions } from '$lib/server/session-cookie';
import { ROLE_HOME } from '$lib/shared/roles';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.actor) redirect(303, ROLE_HOME[locals.actor.role]);
	if (!(await isSetupComplete(locals.app.db))) redirect(303, '/setup');
	return { setupDone: url.searchParams.has('setup'), loggedOut: url.searchParams.has('logged-out') };
};

export const actions: Actions = {
	default: async (event) => {
		const values = await readForm(event.request);
		const result = await formAction(values, () => logIn(event.locals.app, values, clientOf(event)));
		if (!('token' in result)) return result;
		event.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(event.url, result.expiresAt));
		const home = result.actor.mustChangePassword ? '/account' : ROLE_HOME[result.actor.role];
		redirect(303, sameOriginPath(event.url.searchParams.get('next'), event.url.origin) ?? home);
	}
};
