import { getAssessment, type Assessment } from '#server/insight/get-assessment.ts';
import { getDashboard, type Dashboard } from '#server/insight/get-dashboard.ts';
import { monthOf } from '#server/insight/period.ts';
import { listStatisticsNodes } from '#server/insight/statistics-scope.ts';
import { requirePermission } from '$lib/server/guards';
import { AppError, type FormFailure } from '$lib/shared/errors';
import type { PageServerLoad } from './$types';

const FILTERS = ['from', 'to', 'org'] as const;

export const load: PageServerLoad = async (event) => {
	const actor = requirePermission(event, 'statistics:view');
	const { db, insight } = event.locals.app;
	const filters: Record<string, string> = {};
	for (const name of FILTERS) {
		const value = event.url.searchParams.get(name);
		if (value) filters[name] = value;
	}
	await insight.ensureFresh();
	const figures = (input: Record<string, string>): Promise<[Dashboard, Assessment]> =>
		Promise.all([getDashboard(db, actor, input), getAssessment(db, actor, input)]);
	let failure: FormFailure | null = null;
	let dashboard: Dashboard;
	let assessment: Assessment;
	try {
		[dashboard, assessment] = await figures(filters);
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		// Bad filters are named on the form; the figures below are the default ones meanwhile.
		failure = { code: error.code, fields: error.fields, values: filters };
		[dashboard, assessment] = await figures({});
	}
	return {
		dashboard,
		assessment,
		failure,
		filters,
		nodes: await listStatisticsNodes(db, actor),
		thisMonth: monthOf(new Date())
	};
};
