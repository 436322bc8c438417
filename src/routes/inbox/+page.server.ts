import { listInbox, markInboxRead, readPreferences, savePreferences } from '#server/notifications/inbox.ts';
import { formAction, readForm, tickedValues } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'account:use');
	const { db } = event.locals.app;
	const [inbox, preferences] = await Promise.all([listInbox(db, actor), readPreferences(db, actor)]);
	return { ...inbox, preferences };
};

export const actions: Actions = {
	read: async (event) => {
		const actor = requirePermission(event, 'account:use');
		await markInboxRead(event.locals.app.db, actor);
		return { read: true };
	},
	preferences: async (event) => {
		const actor = requirePermission(event, 'account:use');
		const values = await readForm(event.request);
		const input = {
			email: values.email ?? '',
			locale: values.locale,
			optOut: tickedValues(values, 'optOut')
		};
		return formAction(values, async () => {
			await savePreferences(event.locals.app.db, actor, input);
			return { saved: true };
		});
	}
};
