import { evidenceResponse } from '#server/evidence/evidence-response.ts';
import { readPowerOfAttorneyFile } from '#server/evidence/read-power-of-attorney-file.ts';
import { requirePermission } from '$lib/server/guards';
import { notFound, requireVisibleCase } from '$lib/server/visible-case';
import type { RequestHandler } from './$types';

/** A party's power of attorney, for the case's committee only: it carries the parties' identity details. */
export const GET: RequestHandler = async (event) => {
	const actor = requirePermission(event, 'cases:committee-view');
	const { db } = event.locals.app;
	const caseId = event.params.id;
	await requireVisibleCase(db, actor, caseId);
	const file = await readPowerOfAttorneyFile(db, caseId, event.params.partyId);
	if (!file) notFound();
	return evidenceResponse(file, 'inline');
};
