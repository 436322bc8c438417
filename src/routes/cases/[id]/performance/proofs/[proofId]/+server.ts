import { evidenceResponse } from '#server/evidence/evidence-response.ts';
import { readProofFile } from '#server/performance/read-proof-file.ts';
import { requirePermission } from '$lib/server/guards';
import { notFound, requireVisibleCase } from '$lib/server/visible-case';
import type { RequestHandler } from './$types';

/** One proof of performance of a case the actor may see: shown in the browser, or saved with `?download`. */
export const GET: RequestHandler = async (event) => {
	const actor = requirePermission(event, 'cases:list');
	const { db } = event.locals.app;
	const caseId = event.params.id;
	await requireVisibleCase(db, actor, caseId);
	const file = await readProofFile(db, caseId, event.params.proofId);
	if (!file) notFound();
	return evidenceResponse(file, event.url.searchParams.has('download') ? 'attachment' : 'inline');
};
