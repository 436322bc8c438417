import { error } from '@sveltejs/kit';
import { publicNotice } from '#server/notice/public-notice.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { AppError } from '$lib/shared/errors';
import type { PageServerLoad } from './$types';

/** The rights and duties notice in force, for anyone to read before a mediation: no login. */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		return await publicNotice(locals.app.db, url.searchParams.get('committee'));
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') error(404, { message: m.error_not_found(), code: e.code });
		throw e;
	}
};
