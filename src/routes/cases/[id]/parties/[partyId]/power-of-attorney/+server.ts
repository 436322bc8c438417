import { error } from '@sveltejs/kit';
import { findVisibleCase } from '#server/cases/case-scope.ts';
import { evidenceResponse } from '#server/evidence/evidence-response.ts';
import { readPowerOfAttorneyFile } from '#server/evidence/read-power-of-attorney-file.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import { caseIdSchema } from '$lib/shared/validation';
import type { RequestHandler } from './$types';

function notFound(): never {
	error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
}

/** A party's power of attorney, for the case's committee only: it carries the parties' identity details. */
export const GET: RequestHandler = async (event) => {
	const actor = requirePermission(event, 'cases:committee-view');
	const { db } = event.locals.app;
	const caseId = event.params.id;
	if (!caseIdSchema.safeParse({ caseId }).success) notFound();
	try {
		await findVisibleCase(db, actor, caseId);
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') notFound();
		throw e;
	}
	const file = await readPowerOfAttorneyFile(db, caseId, event.params.partyId);
	if (!file) notFound();
	return evidenceResponse(file, 'inline');
};
