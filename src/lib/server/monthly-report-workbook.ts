import ExcelJS from 'exceljs';
import type { AssessmentRow } from '#server/insight/get-assessment.ts';
import type { MonthlyReport } from '#server/insight/monthly-report.ts';
import { warningRuleLabel, warningSeverityLabel } from '$lib/i18n/insight-labels';
import { caseOutcomeLabel, caseStatusLabel, disputeTypeLabel } from '$lib/i18n/labels';
import { m } from '$lib/i18n/paraglide/messages';

type Cell = string | number | null;

/**
 * The county's monthly report as a workbook: the headline figures and each
 * breakdown as a table whose counts carry data bars (the chart of the table,
 * drawn by the spreadsheet itself), the assessment, and the warnings raised.
 */
export async function monthlyReportXlsx(report: MonthlyReport, generatedAt: Date): Promise<Buffer> {
	const { dashboard, assessment } = report;
	const workbook = new ExcelJS.Workbook();
	const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
	const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

	const summary = workbook.addWorksheet(m.report_sheet_summary());
	summary.columns = [{ width: 28 }, { width: 14 }, { width: 12 }];
	summary.addRow([m.report_heading({ org: report.orgName, month: report.month })]).font = { bold: true, size: 14 };
	summary.addRow([m.report_generated({ time: generatedAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' })]);
	summary.addRow([]);
	const figures: [string, Cell, string?][] = [
		[m.dashboard_total(), dashboard.totals.cases],
		[m.assessment_resolved(), dashboard.totals.resolved],
		[m.report_oral_agreements(), dashboard.totals.oralAgreements],
		[m.assessment_failed(), dashboard.totals.failed],
		[m.dashboard_performed(), dashboard.totals.performed],
		[m.dashboard_success_rate(), percent(dashboard.totals.successRate), '0.0%'],
		[m.dashboard_avg_days(), round(dashboard.totals.averageDaysToResolution)],
		[m.dashboard_open(), dashboard.live.open],
		[m.dashboard_overdue(), dashboard.live.overdue],
		[m.dashboard_near(), dashboard.live.nearDeadline]
	];
	addTable(
		summary,
		[m.report_figure(), m.report_value()],
		figures.map(([name, value]) => [name, value]),
		false
	);
	figures.forEach(([, , format], i) => {
		if (format) summary.getCell(5 + i, 2).numFmt = format;
	});
	const breakdowns: [string, { label: string; cases: number }[]][] = [
		[m.dashboard_by_type(), dashboard.byType.map((r) => ({ label: disputeTypeLabel(r.key), cases: r.cases }))],
		[m.dashboard_by_outcome(), dashboard.byOutcome.map((r) => ({ label: caseOutcomeLabel(r.key), cases: r.cases }))],
		[m.dashboard_by_status(), dashboard.byStatus.map((r) => ({ label: caseStatusLabel(r.key), cases: r.cases }))],
		[m.dashboard_by_village(), dashboard.byVillage.map((r) => ({ label: r.name, cases: r.cases }))]
	];
	for (const [title, rows] of breakdowns) {
		summary.addRow([]);
		summary.addRow([title]).font = { bold: true };
		const total = rows.reduce((sum, row) => sum + row.cases, 0);
		addTable(
			summary,
			[title, m.report_count(), m.report_share()],
			rows.map((row) => [row.label, row.cases, total ? row.cases / total : 0]),
			true
		);
	}

	const sheet = workbook.addWorksheet(m.report_sheet_assessment());
	sheet.columns = [{ width: 28 }, ...Array.from({ length: 7 }, () => ({ width: 13 }))];
	const head = [
		m.assessment_name(),
		m.assessment_handled(),
		m.assessment_resolved(),
		m.assessment_failed(),
		m.assessment_success_rate(),
		m.assessment_average_days(),
		m.assessment_overdue_rate(),
		m.assessment_satisfaction()
	];
	const line = (row: AssessmentRow): Cell[] => [
		row.name,
		row.handled,
		row.resolved,
		row.failed,
		percent(row.successRate),
		round(row.averageDays),
		percent(row.overdueRate),
		round(row.satisfaction)
	];
	for (const [title, rows] of [
		[m.assessment_committees(), assessment.committees],
		[m.assessment_mediators(), assessment.mediators]
	] as const) {
		sheet.addRow([title]).font = { bold: true };
		const first = sheet.rowCount + 2;
		addTable(sheet, head, rows.map(line), true);
		for (let r = first; r <= sheet.rowCount; r++) for (const c of [5, 7]) sheet.getCell(r, c).numFmt = '0.0%';
		sheet.addRow([]);
	}

	const warnings = workbook.addWorksheet(m.report_sheet_warnings());
	warnings.columns = [{ width: 30 }, { width: 10 }, { width: 10 }];
	addTable(
		warnings,
		[m.warnings_rule(), m.warnings_severity(), m.report_count()],
		report.warnings.map((w) => [warningRuleLabel(w.rule), warningSeverityLabel(w.severity), w.count]),
		true
	);
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A heading row and the rows under it; with `bars`, the second column's counts get data bars and the third is a share. */
function addTable(sheet: ExcelJS.Worksheet, head: string[], rows: Cell[][], bars: boolean): void {
	sheet.addRow(head).font = { bold: true };
	const first = sheet.rowCount + 1;
	for (const row of rows) sheet.addRow(row);
	const last = sheet.rowCount;
	if (!bars || last < first) return;
	if (head.length === 3) for (let r = first; r <= last; r++) sheet.getCell(r, 3).numFmt = '0.0%';
	sheet.addConditionalFormatting({
		ref: `B${first}:B${last}`,
		rules: [
			{
				type: 'dataBar',
				priority: 1,
				cfvo: [{ type: 'min' }, { type: 'max' }],
				color: { argb: 'FFB3261E' }
			} as ExcelJS.DataBarRuleType
		]
	});
}
