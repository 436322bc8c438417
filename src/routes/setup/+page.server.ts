import { redirect } from '@sveltejs/kit';
import { completeSetup } from '#server/setup/complete-setup.ts';
import { isSetupComplete } from '#server/setup/is-setup-complete.ts';
import { formAction, readForm } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (await isSetupComplete(locals.app.db)) redirect(303, '/login');
	// Only a suggestion for the one setting it up, who sees and may correct it before it is stored.
	return { suggestedOrigin: url.origin };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const values = await readForm(request);
		const result = await formAction(values, () => completeSetup(locals.app, values));
		if ('adminId' in result) redirect(303, '/login?setup=done');
		return result;
	}
};
