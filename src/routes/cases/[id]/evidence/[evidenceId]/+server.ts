import { error } from '@sveltejs/kit';
import { findVisibleCase } from '#server/cases/case-scope.ts';
import { evidenceResponse } from '#server/evidence/evidence-response.ts';
import { readEvidenceFile } from '#server/evidence/read-evidence-file.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import { caseIdSchema } from '$lib/shared/validation';
import type { RequestHandler } from './$types';

function notFound(): never {
	error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
}

/** One evidence file of a case the actor may see: shown in the browser, or saved with `?download`. */
export const GET: RequestHandler = async (event) => {
	const actor = requirePermission(event, 'cases:list');
	const { db } = event.locals.app;
	const caseId = event.params.id;
	if (!caseIdSchema.safeParse({ caseId }).success) notFound();
	try {
		await findVisibleCase(db, actor, caseId);
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') notFound();
		throw e;
	}
	const file = await readEvidenceFile(db, caseId, event.params.evidenceId);
	if (!file) notFound();
	return evidenceResponse(file, event.url.searchParams.has('download') ? 'attachment' : 'inline');
};
