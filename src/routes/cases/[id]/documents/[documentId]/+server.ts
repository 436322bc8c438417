import { error } from '@sveltejs/kit';
import { readCaseDocument } from '#server/documents/read-case-document.ts';
import { takesPartInCase } from '#server/documents/takes-part-in-case.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { roomIdentities } from '$lib/server/room-identities';
import { sealedPdfResponse } from '$lib/server/sealed-pdf-response';
import { caseDocumentSchema } from '$lib/shared/validation';
import type { RequestHandler } from './$types';

/** One of the case's sealed documents, for those who take part in the case (by account or invitation). */
export const GET: RequestHandler = async ({ locals, cookies, params }) => {
	const notFound = () => error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	if (!caseDocumentSchema.safeParse(params).success) notFound();
	const identities = roomIdentities(locals.actor, cookies);
	if (!identities.length) error(401, { message: m.error_unauthenticated(), code: 'UNAUTHENTICATED' });
	// A case one may not see answers as one that does not exist.
	if (!(await takesPartInCase(locals.app.db, params.id, identities))) notFound();
	const document = await readCaseDocument(locals.app.db, params.id, params.documentId);
	if (!document) notFound();
	return sealedPdfResponse(document);
};
