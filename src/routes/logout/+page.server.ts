import { redirect } from '@sveltejs/kit';
import { revokeSession, SESSION_COOKIE } from '#server/auth/sessions.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.sessionId) {
			await revokeSession(locals.app.db, locals.sessionId);
			locals.app.realtime.endSession(locals.sessionId);
		}
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login?logged-out');
	}
};
