import { error } from '@sveltejs/kit';
import { findTrackedParty } from '#server/cases/track-case.ts';
import { evidenceResponse } from '#server/evidence/evidence-response.ts';
import { readEvidenceFile } from '#server/evidence/read-evidence-file.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { AppError } from '$lib/shared/errors';
import type { RequestHandler } from './$types';

function notFound(): never {
	error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
}

/** One evidence file of the case a party's private link belongs to: shown in the browser, or saved with `?download`. */
export const GET: RequestHandler = async ({ locals, params, url, setHeaders }) => {
	// The token is the key to the case: keep it out of Referer headers.
	setHeaders({ 'referrer-policy': 'no-referrer' });
	let caseId: string;
	try {
		caseId = (await findTrackedParty(locals.app.db, params.token)).party.caseId;
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') notFound();
		throw e;
	}
	const file = await readEvidenceFile(locals.app.db, caseId, params.evidenceId);
	if (!file) notFound();
	return evidenceResponse(file, url.searchParams.has('download') ? 'attachment' : 'inline');
};
