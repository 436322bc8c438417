import { error } from '@sveltejs/kit';
import { listRetentionPeriods, setRetentionPeriods } from '#server/dossier/retention-periods.ts';
import { listFollowUpDelays, setFollowUpDelays } from '#server/follow-ups/follow-up-delays.ts';
import { changePublicOrigin } from '#server/setup/change-public-origin.ts';
import { describePublicOrigin } from '#server/setup/describe-public-origin.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { formAction, nestedValues, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'settings:manage');
	try {
		return {
			publicOrigin: await describePublicOrigin(event.locals.app, actor),
			retention: await listRetentionPeriods(event.locals.app.db),
			followUpDelays: await listFollowUpDelays(event.locals.app.db, actor)
		};
	} catch (e) {
		// A village's admin manages their village, not the installation.
		if (e instanceof AppError && e.code === 'FORBIDDEN') error(403, { message: m.error_forbidden(), code: e.code });
		throw e;
	}
};

export const actions: Actions = {
	origin: async (event) => {
		const actor = requirePermission(event, 'settings:manage');
		const values = await readForm(event.request);
		const result = await formAction({ ...values, form: 'origin' }, () =>
			changePublicOrigin(event.locals.app, actor, values)
		);
		return 'publicOrigin' in result ? { saved: 'origin' } : result;
	},
	retention: async (event) => {
		const actor = requirePermission(event, 'settings:manage');
		const values = await readForm(event.request);
		const result = await formAction({ ...values, form: 'retention' }, () =>
			setRetentionPeriods(event.locals.app, actor, values)
		);
		return 'land' in result ? { saved: 'retention' } : result;
	},
	followUps: async (event) => {
		const actor = requirePermission(event, 'settings:manage');
		const values = await readForm(event.request);
		const result = await formAction({ ...values, form: 'followUps' }, () =>
			setFollowUpDelays(event.locals.app, actor, nestedValues(values))
		);
		return Array.isArray(result) ? { saved: 'followUps' } : result;
	}
};
