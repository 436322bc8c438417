import { error } from '@sveltejs/kit';
import { caseFileFor } from '#server/dossier/case-file-for.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { clientOf } from '$lib/server/form-action';
import { sealedPdfResponse } from '$lib/server/sealed-pdf-response';
import { AppError } from '$lib/shared/errors';
import { caseIdSchema } from '$lib/shared/validation';
import type { RequestHandler } from './$types';

/** The case file (卷宗) for the case's committee; bound on the spot when the case has none yet. */
export const GET: RequestHandler = async (event) => {
	const { locals, params } = event;
	if (!locals.actor) error(401, { message: m.error_unauthenticated(), code: 'UNAUTHENTICATED' });
	if (!caseIdSchema.safeParse({ caseId: params.id }).success)
		error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	try {
		return sealedPdfResponse(await caseFileFor(locals.app, locals.actor, params.id, clientOf(event).ip));
	} catch (e) {
		if (e instanceof AppError && e.code === 'FORBIDDEN')
			error(403, { message: m.error_forbidden(), code: 'FORBIDDEN' });
		// A case one may not see answers as one that does not exist.
		if (e instanceof AppError && e.code === 'NOT_FOUND')
			error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
		throw e;
	}
};
