import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import type { CaseListItem } from '#server/cases/list-cases.ts';
import type { MonthlyReport } from '#server/insight/monthly-report.ts';
import { casesCsv, casesXlsx } from './case-export';
import { monthlyReportXlsx } from './monthly-report-workbook';

const item = (overrides: Partial<CaseListItem> = {}): CaseListItem => ({
	id: '00000000-0000-4000-8000-000000000001',
	number: '2026-QSZ-000001',
	disputeType: 'land',
	status: 'closed',
	outcome: 'resolved',
	channel: 'walk_in',
	villageName: '东村',
	committeeName: '东村人民调解委员会',
	applicants: '李秀英',
	respondents: '王建国、赵大',
	// 16:30 UTC is 00:30 the next day in the town.
	createdAt: new Date('2026-10-31T16:30:00Z'),
	deadline: new Date('2026-11-30T16:30:00Z'),
	endedAt: new Date('2026-11-10T02:00:00Z'),
	deadlineState: null,
	performedAt: new Date('2026-12-01T01:00:00Z'),
	...overrides
});

const workbookOf = async (buffer: Buffer) => {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
	return workbook;
};

describe('case export', () => {
	test('CSV: a byte-order mark, quoted fields, the town’s time, labels in the language', () => {
		const csv = casesCsv([
			item(),
			item({ applicants: '张"三", 李四\n王五', outcome: null, status: 'accepted', performedAt: null })
		]);
		expect(csv.startsWith('\uFEFF"案件编号"')).toBe(true);
		const lines = csv.slice(1).split('\r\n');
		expect(lines[1]).toBe(
			'"2026-QSZ-000001","土地纠纷","已结案","调解成功","来访登记","东村","东村人民调解委员会","李秀英","王建国、赵大","2026-11-01 00:30","2026-12-01 00:30","","2026-11-10 10:00","2026-12-01 09:00"'
		);
		expect(csv).toContain('"张""三"", 李四\n王五"');
		expect(lines.at(-1)).toBe('');
	});

	test('a name that a spreadsheet would take for a formula stays text', async () => {
		const csv = casesCsv([item({ applicants: '=HYPERLINK("http://x")', respondents: '+1', villageName: '@x' })]);
		expect(csv).toContain(`"'=HYPERLINK(""http://x"")","'+1"`);
		const sheet = (await workbookOf(await casesXlsx([item({ applicants: '=1+1' })]))).worksheets[0];
		expect(sheet.getCell('H2').value).toBe("'=1+1");
	});

	test('Excel: one row per case under a frozen, filterable heading', async () => {
		const items = Array.from({ length: 30 }, (_, i) => item({ number: `2026-QSZ-${String(i).padStart(6, '0')}` }));
		const sheet = (await workbookOf(await casesXlsx(items))).worksheets[0];
		expect(sheet.rowCount).toBe(31);
		expect(sheet.getCell('A1').value).toBe('案件编号');
		expect(sheet.getCell('A31').value).toBe('2026-QSZ-000029');
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
	});
});

describe('monthly report', () => {
	const assessmentRow = {
		id: 'c1',
		name: '东村人民调解委员会',
		handled: 10,
		resolved: 7,
		failed: 1,
		successRate: 0.875,
		averageDays: 12.34,
		overdueRate: 0.1,
		satisfaction: 4.5,
		surveys: 2
	};
	const report: MonthlyReport = {
		month: '2026-11',
		orgName: '青石镇',
		dashboard: {
			period: { from: '2026-11', to: '2026-11' },
			orgId: null,
			refreshedAt: new Date(),
			totals: {
				cases: 10,
				resolved: 7,
				oralAgreements: 2,
				failed: 1,
				successRate: 0.875,
				averageDaysToResolution: 12.34,
				performed: 3,
				performedShare: 3 / 7
			},
			live: { open: 2, overdue: 1, nearDeadline: 1 },
			byType: [
				{ key: 'land', cases: 6 },
				{ key: 'family', cases: 4 }
			],
			byStatus: [{ key: 'closed', cases: 10 }],
			byOutcome: [{ key: 'resolved', cases: 7 }],
			byVillage: [{ key: 'v1', name: '东村', cases: 10 }],
			byMonth: [{ key: '2026-11', cases: 10, resolved: 7 }]
		},
		assessment: { period: { from: '2026-11', to: '2026-11' }, committees: [assessmentRow], mediators: [] },
		warnings: [{ rule: 'risk_words', severity: 'high', count: 3 }]
	};

	test('holds the headline figures, the breakdowns with data bars, the assessment and the warnings', async () => {
		const workbook = await workbookOf(await monthlyReportXlsx(report, new Date('2026-12-01T00:00:00Z')));
		expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['概况', '考核', '预警']);
		const summary = workbook.worksheets[0];
		expect(summary.getCell('A1').value).toBe('青石镇 人民调解工作月报（2026-11）');
		const figures = Object.fromEntries(
			summary.getRows(5, 10)!.map((row) => [row.getCell(1).value, row.getCell(2).value])
		);
		expect(figures).toEqual({
			案件总数: 10,
			成功: 7,
			其中口头协议: 2,
			不成功: 1,
			履行完毕: 3,
			调解成功率: 0.875,
			平均办结天数: 12.3,
			在办: 2,
			超期: 1,
			临近期限: 1
		});
		const values = summary.getSheetValues().flat();
		expect(values).toContain('土地纠纷');
		expect(values).toContain(0.6);
		// exceljs reads conditional formats back but does not declare them on the type.
		const formats = (summary as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] })
			.conditionalFormattings;
		expect(formats.map((format) => format.rules[0].type)).toEqual(Array(4).fill('dataBar'));
		const assessment = workbook.worksheets[1];
		expect(assessment.getRow(3).values).toEqual([undefined, '东村人民调解委员会', 10, 7, 1, 0.875, 12.3, 0.1, 4.5]);
		expect(workbook.worksheets[2].getRow(2).values).toEqual([undefined, '案情含风险词', '高', 3]);
	});
});
