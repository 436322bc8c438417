import { error } from '@sveltejs/kit';
import { evidenceResponse } from '#server/evidence/evidence-response.ts';
import { readProofFile } from '#server/performance/read-proof-file.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { trackedCaseId } from '$lib/server/tracked-case-id';
import type { RequestHandler } from './$types';

/** One proof of performance of the case a party's private link belongs to: shown, or saved with `?download`. */
export const GET: RequestHandler = async ({ locals, params, url, setHeaders }) => {
	// The token is the key to the case: keep it out of Referer headers.
	setHeaders({ 'referrer-policy': 'no-referrer' });
	const caseId = await trackedCaseId(locals.app.db, params.token);
	const file = await readProofFile(locals.app.db, caseId, params.proofId);
	if (!file) error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	return evidenceResponse(file, url.searchParams.has('download') ? 'attachment' : 'inline');
};
