import { error, redirect } from '@sveltejs/kit';
import { followUpRecordForm } from '#server/follow-ups/follow-up-record-form.ts';
import { recordFollowUp } from '#server/follow-ups/record-follow-up.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { clientOf, formAction, nestedValues, readUploadForm, withoutGaps } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import { caseIdSchema } from '$lib/shared/validation';
import type { Actions, PageServerLoad } from './$types';

/** The screen of a follow-up record: for the case's visitors once its agreement is in force. */
export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'cases:mediate');
	const caseId = event.params.id;
	if (!caseIdSchema.safeParse({ caseId }).success) error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	try {
		return await followUpRecordForm(event.locals.app.db, actor, caseId);
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') error(404, { message: m.error_not_found(), code: e.code });
		if (e instanceof AppError) error(403, { message: m.error_forbidden(), code: 'FORBIDDEN' });
		throw e;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requirePermission(event, 'cases:mediate');
		const { values, files } = await readUploadForm(event.request, 'signature');
		const input = nestedValues(values);
		const signature = files[0] ? new Uint8Array(await files[0].arrayBuffer()) : new Uint8Array();
		const done = await formAction(values, () =>
			recordFollowUp(
				event.locals.app,
				actor,
				{
					...input,
					partyIds: withoutGaps(input.partyIds),
					coVisitorIds: withoutGaps(input.coVisitorIds),
					caseId: event.params.id
				},
				signature,
				clientOf(event)
			)
		);
		if ('documentId' in done) redirect(303, `/cases/${event.params.id}#case-follow-ups`);
		return done;
	}
};
