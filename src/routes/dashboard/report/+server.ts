import { error } from '@sveltejs/kit';
import { getMonthlyReport } from '#server/insight/monthly-report.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { attachment, XLSX_TYPE } from '$lib/server/case-export';
import { requirePermission } from '$lib/server/guards';
import { monthlyReportXlsx } from '$lib/server/monthly-report-workbook';
import { AppError } from '$lib/shared/errors';
import type { RequestHandler } from './$types';

/** The monthly report of the month (`?month=2026-11`, this month by default) for the actor's subtree or `?org=`. */
export const GET: RequestHandler = async (event) => {
	const actor = requirePermission(event, 'statistics:view');
	const { app } = event.locals;
	await app.insight.ensureFresh();
	const input = Object.fromEntries(event.url.searchParams);
	let report;
	try {
		report = await getMonthlyReport(app.db, actor, input);
	} catch (e) {
		if (e instanceof AppError && e.code === 'VALIDATION')
			error(400, { message: m.error_validation(), code: 'VALIDATION' });
		throw e;
	}
	const body = await monthlyReportXlsx(report, new Date());
	return new Response(new Uint8Array(body), {
		headers: attachment(`mediation-report-${report.month}.xlsx`, XLSX_TYPE)
	});
};
