import { getWarningSettings, updateWarningSettings } from '#server/insight/warning-settings.ts';
import { formAction, nestedValues, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'warnings:configure');
	return { settings: await getWarningSettings(event.locals.app.db, actor) };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requirePermission(event, 'warnings:configure');
		const values = await readForm(event.request);
		return formAction(values, async () => {
			await updateWarningSettings(event.locals.app.db, actor, nestedValues(values));
			return { saved: true };
		});
	}
};
