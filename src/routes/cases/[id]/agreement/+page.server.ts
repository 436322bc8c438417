import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { findVisibleCase } from '#server/cases/case-scope.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import { caseIdSchema } from '$lib/shared/validation';
import type { PageServerLoad } from './$types';

/**
 * The case's agreement draft, or a session's record, on a page of its own, for writing at full width. The draft itself
 * comes over the socket, which checks the person's part in it; this page only names the case.
 */
export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'cases:list');
	const caseId = event.params.id;
	const notFound = () => error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
	if (!caseIdSchema.safeParse({ caseId }).success) notFound();
	// Grid workers report disputes; they have no part in the agreement.
	if (actor.role === 'grid_worker') error(403, { message: m.error_forbidden(), code: 'FORBIDDEN' });
	try {
		const row = await findVisibleCase(event.locals.app.db, actor, caseId);
		// A session's record instead (`?session=`): the socket checks it is of this case.
		const sessionId = event.url.searchParams.get('session');
		const record = sessionId && z.uuid().safeParse(sessionId).success ? sessionId : null;
		return { kase: { id: row.id, number: row.number }, sessionId: record };
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') notFound();
		throw e;
	}
};
