import { error } from '@sveltejs/kit';
import { downloadSealedAgreement } from '#server/signing/signatures/download-sealed-agreement.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { roomIdentities } from '$lib/server/room-identities';
import { sealedPdfResponse } from '$lib/server/sealed-pdf-response';
import { caseIdSchema } from '$lib/shared/validation';
import type { RequestHandler } from './$types';

/**
 * The case's sealed agreement as a PDF, for those who signed or could sign it (its parties, by
 * account or invitation, its mediators and legal experts) and nobody else.
 */
export const GET: RequestHandler = async ({ locals, cookies, params }) => {
	const notFound = () => error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	if (!caseIdSchema.safeParse({ caseId: params.id }).success) notFound();
	const identities = roomIdentities(locals.actor, cookies);
	if (!identities.length) error(401, { message: m.error_unauthenticated(), code: 'UNAUTHENTICATED' });
	const sealed = await downloadSealedAgreement(locals.app.db, params.id, identities);
	if (sealed === 'forbidden') error(403, { message: m.error_forbidden(), code: 'FORBIDDEN' });
	if (!sealed) notFound();
	return sealedPdfResponse(sealed);
};
