import { applyOnline } from '#server/cases/apply-online.ts';
import { listDisputePlaces } from '#server/orgs/list-dispute-places.ts';
import { readPublicOrigin } from '#server/setup/read-public-origin.ts';
import { clientOf, formAction, nestedValues, readUploadForm } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({ places: await listDisputePlaces(locals.app.db) });

export const actions: Actions = {
	default: async (event) => {
		const { values, files } = await readUploadForm(event.request);
		return formAction(values, async () => {
			const origin = await readPublicOrigin(event.locals.app);
			const created = await applyOnline(event.locals.app, nestedValues(values), files, clientOf(event).ip);
			return { number: created.number, trackingUrl: `${origin}/track/${created.trackingToken}` };
		});
	}
};
