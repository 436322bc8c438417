import { changePassword } from '#server/auth/change-password.ts';
import { clientOf, formAction, readForm } from '$lib/server/form-action';
import { requireActor } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event);
	return { mustChange: actor.mustChangePassword };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const values = await readForm(event.request);
		const result = await formAction(values, () =>
			changePassword(event.locals.app, actor, event.locals.sessionId!, values, clientOf(event))
		);
		return result ?? { changed: true };
	}
};
