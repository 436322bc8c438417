import { error } from '@sveltejs/kit';
import {
	getAgreementTemplate,
	listAgreementTemplates,
	resetAgreementTemplate,
	saveAgreementTemplate,
	type TemplateDetail
} from '#server/agreements/manage-agreement-templates.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { formAction, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'org:manage');
	const { db } = event.locals.app;
	const nodes = await listAgreementTemplates(db, actor);
	// The admin's own organisation until another is chosen.
	const orgNodeId = event.url.searchParams.get('node') ?? nodes[0]?.id;
	let template: TemplateDetail | null = null;
	if (orgNodeId) {
		try {
			template = await getAgreementTemplate(db, actor, { orgNodeId });
		} catch (e) {
			// Not an organisation of theirs that can have a template: the same 404 as one that does not exist.
			if (e instanceof AppError && (e.code === 'NOT_FOUND' || e.code === 'VALIDATION'))
				error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
			throw e;
		}
	}
	return { nodes, template };
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requirePermission(event, 'org:manage');
		const values = await readForm(event.request);
		// The editor keeps what was typed; the document need not travel back with a failure.
		const { body: _body, ...kept } = values;
		return (await formAction(kept, () => saveAgreementTemplate(event.locals.app, actor, values))) ?? { done: 'save' };
	},
	reset: async (event) => {
		const actor = requirePermission(event, 'org:manage');
		const values = await readForm(event.request);
		return (
			(await formAction(values, () => resetAgreementTemplate(event.locals.app, actor, values))) ?? { done: 'reset' }
		);
	}
};
