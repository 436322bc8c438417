import { redirect } from '@sveltejs/kit';
import { registerCase } from '#server/cases/register-case.ts';
import { listDisputePlaces } from '#server/orgs/list-dispute-places.ts';
import { clientOf, formAction, nestedValues, readUploadForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'cases:register');
	return { places: await listDisputePlaces(event.locals.app.db) };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requirePermission(event, 'cases:register');
		const { values, files } = await readUploadForm(event.request);
		const result = await formAction(values, () =>
			registerCase(event.locals.app, actor, nestedValues(values), files, clientOf(event).ip)
		);
		if ('caseId' in result) redirect(303, `/cases/${result.caseId}`);
		return result;
	}
};
