import { error, redirect } from '@sveltejs/kit';
import { getCase } from '#server/cases/get-case.ts';
import { mayRegisterOralAgreement } from '#server/documents/may-register-oral-agreement.ts';
import { recordOralAgreement } from '#server/documents/record-oral-agreement.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { clientOf, formAction, nestedValues, readUploadForm, withoutGaps } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import { caseIdSchema } from '$lib/shared/validation';
import type { Actions, PageServerLoad } from './$types';

/** The one screen of an oral agreement: for the case's mediators while it is being mediated. */
export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'cases:mediate');
	const caseId = event.params.id;
	if (!caseIdSchema.safeParse({ caseId }).success) error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	const detail = await getCase(event.locals.app.db, actor, caseId).catch((e: unknown) => {
		if (e instanceof AppError && e.code === 'NOT_FOUND')
			error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
		throw e;
	});
	if (!(await mayRegisterOralAgreement(event.locals.app.db, actor, detail.case))) {
		error(403, { message: m.error_forbidden(), code: 'FORBIDDEN' });
	}
	const { id, number, disputeType, facts } = detail.case;
	return {
		kase: { id, number, disputeType, facts },
		parties: detail.parties.map(({ id, side, name }) => ({ id, side, name }))
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requirePermission(event, 'cases:mediate');
		const { values, files } = await readUploadForm(event.request, 'signature');
		const input = nestedValues(values);
		const signature = files[0] ? new Uint8Array(await files[0].arrayBuffer()) : new Uint8Array();
		const done = await formAction(values, () =>
			recordOralAgreement(
				event.locals.app,
				actor,
				{ ...input, partyIds: withoutGaps(input.partyIds), caseId: event.params.id },
				signature,
				clientOf(event)
			)
		);
		if ('documentId' in done) redirect(303, `/cases/${event.params.id}#case-documents`);
		return done;
	}
};
