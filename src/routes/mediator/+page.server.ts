import { listReportedItems } from '#server/performance/list-reported-items.ts';
import { loadHome } from '$lib/server/load-home';
import { requirePermission } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const [home, reported] = await Promise.all([
		loadHome(event, 'cases:mediate'),
		listReportedItems(event.locals.app.db, requirePermission(event, 'cases:mediate'))
	]);
	return { ...home, reported };
};
