import { createCommittee } from '#server/orgs/create-committee.ts';
import { createOrgNode } from '#server/orgs/create-org-node.ts';
import { listOrgTree } from '#server/orgs/list-org-tree.ts';
import { renameOrgNode } from '#server/orgs/rename-org-node.ts';
import { setCommitteeDeadline } from '#server/orgs/set-committee-deadline.ts';
import { formAction, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'org:manage');
	return { tree: await listOrgTree(event.locals.app.db, actor) };
};

export const actions: Actions = {
	addNode: async (event) => {
		const actor = requirePermission(event, 'org:manage');
		const values = await readForm(event.request);
		const result = await formAction(values, () => createOrgNode(event.locals.app, actor, values));
		return 'id' in result ? { done: 'addNode', name: result.name } : result;
	},
	rename: async (event) => {
		const actor = requirePermission(event, 'org:manage');
		const values = await readForm(event.request);
		return (await formAction(values, () => renameOrgNode(event.locals.app, actor, values))) ?? { done: 'rename' };
	},
	addCommittee: async (event) => {
		const actor = requirePermission(event, 'org:manage');
		const values = await readForm(event.request);
		const result = await formAction(values, () => createCommittee(event.locals.app, actor, values));
		return 'id' in result ? { done: 'addCommittee', name: result.name } : result;
	},
	setDeadline: async (event) => {
		const actor = requirePermission(event, 'org:manage');
		const values = await readForm(event.request);
		return (
			(await formAction(values, () => setCommitteeDeadline(event.locals.app, actor, values))) ?? { done: 'setDeadline' }
		);
	}
};
