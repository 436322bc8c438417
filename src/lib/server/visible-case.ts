import { error } from '@sveltejs/kit';
import { findVisibleCase } from '#server/cases/case-scope.ts';
import type { Db } from '#server/db/client.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { AppError } from '$lib/shared/errors';
import type { Actor } from '$lib/shared/roles';
import { caseIdSchema } from '$lib/shared/validation';

export function notFound(): never {
	error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
}

/** The case of the address, if the actor may see it; otherwise (or not a case id at all) the same 404 page. */
export async function requireVisibleCase(db: Db, actor: Actor, caseId: string): Promise<void> {
	if (!caseIdSchema.safeParse({ caseId }).success) notFound();
	try {
		await findVisibleCase(db, actor, caseId);
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') notFound();
		throw e;
	}
}
