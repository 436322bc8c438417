import { redirect } from '@sveltejs/kit';
import { reportDispute } from '#server/cases/report-dispute.ts';
import { listDisputePlaces } from '#server/orgs/list-dispute-places.ts';
import { clientOf, formAction, nestedValues, readUploadForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePermission(event, 'disputes:report');
	return { places: await listDisputePlaces(event.locals.app.db) };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requirePermission(event, 'disputes:report');
		const { values, files } = await readUploadForm(event.request);
		const result = await formAction(values, () =>
			reportDispute(event.locals.app, actor, nestedValues(values), files, clientOf(event).ip)
		);
		if ('caseId' in result) redirect(303, `/cases/${result.caseId}`);
		return result;
	}
};
