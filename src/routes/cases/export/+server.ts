import { error } from '@sveltejs/kit';
import { CASE_EXPORT_MAX, listCasesForExport } from '#server/cases/list-cases.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { attachment, casesCsv, casesXlsx, XLSX_TYPE } from '$lib/server/case-export';
import { requirePermission } from '$lib/server/guards';
import { AppError } from '$lib/shared/errors';
import { exportFormatSchema } from '$lib/shared/statistics';
import type { RequestHandler } from './$types';

/** The case list with the filters in the address, whole, as CSV (`?format=csv`) or Excel (`?format=xlsx`). */
export const GET: RequestHandler = async (event) => {
	const actor = requirePermission(event, 'cases:export');
	const { format: asked, ...filters } = Object.fromEntries(event.url.searchParams);
	const format = exportFormatSchema.safeParse(asked);
	if (!format.success) error(400, { message: m.error_bad_request(), code: 'VALIDATION' });
	let items;
	try {
		items = await listCasesForExport(event.locals.app.db, actor, filters);
	} catch (e) {
		if (!(e instanceof AppError) || e.code !== 'VALIDATION') throw e;
		const message = e.fields?.export ? m.export_too_many({ max: CASE_EXPORT_MAX }) : m.error_validation();
		error(400, { message, code: 'VALIDATION' });
	}
	const name = `cases-${new Date().toISOString().slice(0, 10)}.${format.data}`;
	return format.data === 'csv'
		? new Response(casesCsv(items), { headers: attachment(name, 'text/csv; charset=utf-8') })
		: new Response(new Uint8Array(await casesXlsx(items)), { headers: attachment(name, XLSX_TYPE) });
};
