import ExcelJS from 'exceljs';
import type { CaseListItem } from '#server/cases/list-cases.ts';
import { caseOutcomeLabel, caseStatusLabel, channelLabel, deadlineLabel, disputeTypeLabel } from '$lib/i18n/labels';
import { m } from '$lib/i18n/paraglide/messages';
import { STATISTICS_TIME_ZONE } from '$lib/shared/statistics';

/** A time as the town reads it, `2026-11-29 14:05`, the same in every language and sortable. */
const townTime = (date: Date | null): string =>
	date
		? new Intl.DateTimeFormat('sv-SE', {
				timeZone: STATISTICS_TIME_ZONE,
				dateStyle: 'short',
				timeStyle: 'short'
			}).format(date)
		: '';

/** The export's columns: a heading and the cell of each case, in the current language. */
function columns(): [string, (item: CaseListItem) => string][] {
	return [
		[m.case_number(), (c) => c.number],
		[m.case_type(), (c) => disputeTypeLabel(c.disputeType)],
		[m.case_status(), (c) => caseStatusLabel(c.status)],
		[m.export_outcome(), (c) => (c.outcome ? caseOutcomeLabel(c.outcome) : '')],
		[m.export_channel(), (c) => channelLabel(c.channel)],
		[m.cases_place(), (c) => c.villageName],
		[m.cases_committee(), (c) => c.committeeName],
		[m.export_applicants(), (c) => c.applicants],
		[m.export_respondents(), (c) => c.respondents],
		[m.case_created(), (c) => townTime(c.createdAt)],
		[m.case_deadline(), (c) => townTime(c.deadline)],
		[
			m.export_deadline_state(),
			(c) => (c.deadlineState && c.deadlineState !== 'on_time' ? deadlineLabel(c.deadlineState) : '')
		],
		[m.export_ended(), (c) => townTime(c.endedAt)],
		[m.export_performed(), (c) => townTime(c.performedAt)]
	];
}

/**
 * A text cell as a spreadsheet should take it: a leading =, +, - or @ would
 * make a formula of a party's name (CSV injection), so it is quoted away.
 */
const inert = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** CSV as Excel opens it: UTF-8 with a byte-order mark, CRLF lines, every field quoted. */
export function casesCsv(items: CaseListItem[]): string {
	const cols = columns();
	const line = (cells: string[]) => cells.map((cell) => `"${inert(cell).replaceAll('"', '""')}"`).join(',');
	return (
		'\uFEFF' +
		[line(cols.map(([heading]) => heading)), ...items.map((c) => line(cols.map(([, cell]) => cell(c))))].join('\r\n') +
		'\r\n'
	);
}

export async function casesXlsx(items: CaseListItem[]): Promise<Buffer> {
	const cols = columns();
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet(m.cases_title());
	sheet.columns = cols.map(([header]) => ({ header, width: 16 }));
	for (const item of items) sheet.addRow(cols.map(([, cell]) => inert(cell(item))));
	sheet.getRow(1).font = { bold: true };
	sheet.views = [{ state: 'frozen', ySplit: 1 }];
	sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Download headers for a file the browser saves; the name is plain ASCII so that every browser keeps it. */
export function attachment(filename: string, type: string): Record<string, string> {
	return {
		'content-type': type,
		'content-disposition': `attachment; filename="${filename}"`,
		'cache-control': 'private, no-store'
	};
}
