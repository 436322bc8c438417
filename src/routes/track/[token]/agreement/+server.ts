import { error } from '@sveltejs/kit';
import { currentSealedPdf } from '#server/signing/signatures/download-sealed-agreement.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { sealedPdfResponse } from '$lib/server/sealed-pdf-response';
import { trackedCaseId } from '$lib/server/tracked-case-id';
import type { RequestHandler } from './$types';

/** The sealed agreement of the case a party's private link belongs to: that party is one of its signers. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const sealed = await currentSealedPdf(locals.app.db, await trackedCaseId(locals.app.db, params.token));
	if (!sealed) error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	return sealedPdfResponse(sealed);
};
