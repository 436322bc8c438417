import { listReportedItems } from '#server/performance/list-reported-items.ts';
import { listDueFollowUps } from '#server/follow-ups/list-due-follow-ups.ts';
import { loadHome } from '$lib/server/load-home';
import { requirePermission } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'cases:mediate');
	const [home, reported, dueFollowUps] = await Promise.all([
		loadHome(event, 'cases:mediate'),
		listReportedItems(event.locals.app.db, actor),
		listDueFollowUps(event.locals.app.db, actor)
	]);
	return { ...home, reported, dueFollowUps };
};
