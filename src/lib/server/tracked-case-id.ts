import { error } from '@sveltejs/kit';
import type { Db } from '#server/db/client.ts';
import { findTrackedParty } from '#server/cases/track-case.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { AppError } from '$lib/shared/errors';

/** The case a party's private link belongs to; an unknown link is a 404 page. */
export async function trackedCaseId(db: Db, token: string): Promise<string> {
	try {
		return (await findTrackedParty(db, token)).party.caseId;
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND')
			error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
		throw e;
	}
}
