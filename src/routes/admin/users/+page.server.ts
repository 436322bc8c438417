import { listOrgTree } from '#server/orgs/list-org-tree.ts';
import { createUser } from '#server/users/create-user.ts';
import { listUsers } from '#server/users/list-users.ts';
import { resetPassword } from '#server/users/reset-password.ts';
import { setUserActive } from '#server/users/set-user-active.ts';
import { updateUser } from '#server/users/update-user.ts';
import { formAction, readForm } from '$lib/server/form-action';
import { requirePermission } from '$lib/server/guards';
import type { Actor } from '$lib/shared/roles';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'user:manage');
	const { db } = event.locals.app;
	const [users, tree] = await Promise.all([listUsers(db, actor), listOrgTree(db, actor)]);
	return { users, tree };
};

type Done = {
	done: 'create' | 'update' | 'deactivate' | 'reactivate' | 'resetPassword';
	username?: string;
	password?: string;
};

/** Every action: the admin, the submitted form, one service call, and what to show on success. */
async function manage(event: RequestEvent, work: (actor: Actor, values: Record<string, string>) => Promise<Done>) {
	const actor = requirePermission(event, 'user:manage');
	const values = await readForm(event.request);
	return formAction(values, () => work(actor, values));
}

export const actions: Actions = {
	create: (event) =>
		manage(event, async (actor, values) => ({
			done: 'create',
			...(await createUser(event.locals.app, actor, values))
		})),
	update: (event) =>
		manage(event, async (actor, values) => (await updateUser(event.locals.app, actor, values), { done: 'update' })),
	deactivate: (event) =>
		manage(
			event,
			async (actor, values) => (await setUserActive(event.locals.app, actor, values, false), { done: 'deactivate' })
		),
	reactivate: (event) =>
		manage(
			event,
			async (actor, values) => (await setUserActive(event.locals.app, actor, values, true), { done: 'reactivate' })
		),
	resetPassword: (event) =>
		manage(event, async (actor, values) => ({
			done: 'resetPassword',
			...(await resetPassword(event.locals.app, actor, values))
		}))
};
