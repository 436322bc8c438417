import { listOrgTree } from '#server/orgs/list-org-tree.ts';
import { addCourt, listCourts, retireCourt, updateCourt } from '#server/judicial/manage-courts.ts';
import { formAction, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The courts of the admin's subtree, node by node, for judicial-confirmation applications to offer. */
export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'org:manage');
	const { db } = event.locals.app;
	const [tree, courts] = await Promise.all([listOrgTree(db, actor), listCourts(db, actor)]);
	return { tree, courts };
};

/** One form of the page: the admin, the submitted fields, one service call; the failure names its form. */
async function act(event: RequestEvent, form: string, work: typeof addCourt | typeof updateCourt | typeof retireCourt) {
	const actor = requirePermission(event, 'org:manage');
	const values = await readForm(event.request);
	return formAction({ ...values, form }, async () => {
		await work(event.locals.app.db, actor, values);
		return { done: form, courtId: values.courtId ?? null };
	});
}

export const actions: Actions = {
	add: (event) => act(event, 'add', addCourt),
	update: (event) => act(event, 'update', updateCourt),
	retire: (event) => act(event, 'retire', retireCourt)
};
