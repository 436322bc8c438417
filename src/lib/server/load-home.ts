import { listCases } from '#server/cases/list-cases.ts';
import { actorProfile } from '#server/users/actor-profile.ts';
import type { Permission } from '$lib/shared/permissions';
import { requirePermission } from './guards';

/** Data of a role's home page, for the actor holding that role's permission. */
export async function loadHome(event: { locals: App.Locals; url: URL }, permission: Permission) {
	const actor = requirePermission(event, permission);
	const { db } = event.locals.app;
	const [profile, page] = await Promise.all([actorProfile(db, actor), listCases(db, actor, {})]);
	return { profile, cases: page.cases };
}
