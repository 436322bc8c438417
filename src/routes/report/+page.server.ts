import { redirect } from '@sveltejs/kit';
import { reportDispute } from '#server/cases/report-dispute.ts';
import { listDisputePlaces } from '#server/orgs/list-dispute-places.ts';
import { scopeRoot } from '#server/orgs/subtree.ts';
import { clientOf, formAction, nestedValues, readUploadForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

/** A grid worker is offered the places of their grid, the only ones they report from. */
export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'disputes:report');
	const { db } = event.locals.app;
	return { places: await listDisputePlaces(db, (await scopeRoot(db, actor)).path) };
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
