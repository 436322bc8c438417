import { error } from '@sveltejs/kit';
import { getNoticeHistory } from '#server/notice/get-notice-history.ts';
import { reviseNotice } from '#server/notice/revise-notice.ts';
import { listCommittees } from '#server/orgs/list-committees.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { formAction, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'org:manage');
	const { db } = event.locals.app;
	const committees = await listCommittees(db, actor);
	const committeeId = event.url.searchParams.get('committee') ?? committees[0]?.id;
	if (!committeeId) return { committees, committeeId: null, versions: [] };
	try {
		return { committees, committeeId, versions: await getNoticeHistory(db, actor, { committeeId }) };
	} catch (e) {
		// Not a committee of theirs: the same 404 as one that does not exist.
		if (e instanceof AppError && (e.code === 'NOT_FOUND' || e.code === 'VALIDATION'))
			error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
		throw e;
	}
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requirePermission(event, 'org:manage');
		const values = await readForm(event.request);
		return formAction(values, async () => ({ done: 'save', ...(await reviseNotice(event.locals.app, actor, values)) }));
	}
};
