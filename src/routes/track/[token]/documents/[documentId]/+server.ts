import { error } from '@sveltejs/kit';
import { readCaseDocument } from '#server/documents/read-case-document.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { sealedPdfResponse } from '$lib/server/sealed-pdf-response';
import { trackedCaseId } from '$lib/server/tracked-case-id';
import { caseDocumentSchema } from '$lib/shared/validation';
import type { RequestHandler } from './$types';

/** One sealed document of the case a party's private link belongs to. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const caseId = await trackedCaseId(locals.app.db, params.token);
	const document = caseDocumentSchema.safeParse({ id: caseId, documentId: params.documentId }).success
		? await readCaseDocument(locals.app.db, caseId, params.documentId)
		: null;
	if (!document) error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	return sealedPdfResponse(document);
};
