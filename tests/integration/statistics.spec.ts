import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { answerSurvey, getTrackedSurvey } from '#server/cases/answer-survey.ts';
import { CASE_EXPORT_MAX, listCases, listCasesForExport } from '#server/cases/list-cases.ts';
import { warnings } from '#server/db/schema.ts';
import { getAssessment } from '#server/insight/get-assessment.ts';
import { getDashboard } from '#server/insight/get-dashboard.ts';
import { getMonthlyReport } from '#server/insight/monthly-report.ts';
import { addMonths, monthOf } from '#server/insight/period.ts';
import { refreshStatistics } from '#server/insight/refresh-statistics.ts';
import { rowsOf } from '#server/db/rows-of.ts';
import type { Actor } from '#shared/roles.ts';
import { daysBefore, fileCase, walkCase } from '../support/case-history.ts';
import { setUpNetwork, type Network } from '../support/case-network.ts';
import { expectAppError, test as base } from '../support/integration-test.ts';

const DAY_MS = 86_400_000;

/**
 * A town's year: cases in three villages (and a group), of several types, in
 * every state, filed over the last months; some near or past their deadline.
 */
async function seedYear(app: App, network: Network, now: Date) {
	const { east, eastGroup, west, south } = network.nodes;
	const plan: [string, string, number, Parameters<typeof walkCase>[4] | 'submitted', Actor][] = [
		[east.id, 'land', 200, 'closed_resolved', network.eastMediator],
		[east.id, 'land', 150, 'resolved', network.eastMediator2],
		[eastGroup.id, 'family', 120, 'failed', network.eastMediator],
		[eastGroup.id, 'neighbour', 90, 'closed_resolved', network.eastMediator2],
		[east.id, 'neighbour', 60, 'rejected', network.eastMediator],
		[east.id, 'contract', 27, 'accepted', network.eastMediator],
		[east.id, 'labour', 40, 'in_mediation', network.eastMediator2],
		[west.id, 'land', 300, 'closed_resolved', network.westMediator],
		[west.id, 'contract', 100, 'failed', network.westMediator],
		[west.id, 'land', 45, 'resolved', network.westMediator],
		[west.id, 'other', 3, 'submitted', network.westMediator],
		[south.id, 'family', 80, 'resolved', network.townMediator],
		[south.id, 'damage_compensation', 20, 'accepted', network.townMediator],
		[south.id, 'family', 500, 'closed_resolved', network.townMediator]
	];
	const filed = [];
	for (const [village, disputeType, daysAgo, to, mediator] of plan) {
		const created = await fileCase(app, village, { disputeType });
		if (to !== 'submitted') await walkCase(app, mediator, created.caseId, daysBefore(now, daysAgo), to);
		filed.push(created);
	}
	await refreshStatistics(app.db, now);
	return filed;
}

/** Direct counts from the cases table, as a reviewer would write them. */
async function directCounts(app: App, where: string, now: Date) {
	const q = <T>(text: string) => rowsOf<T>(app.db, sql.raw(text));
	const at = now.toISOString();
	const [byType, byStatus, byVillage, byMonth, [totals]] = await Promise.all([
		q<{ key: string; n: number }>(
			`select dispute_type as key, count(*)::int as n from cases c where ${where} group by 1`
		),
		q<{ key: string; n: number }>(`select status as key, count(*)::int as n from cases c where ${where} group by 1`),
		q<{ key: string; n: number }>(
			`select coalesce(case when o.kind = 'group' then o.parent_id end, o.id) as key, count(*)::int as n
			from cases c join org_nodes o on o.id = c.village_id where ${where} group by 1`
		),
		q<{ key: string; n: number }>(
			`select to_char(c.created_at at time zone 'Asia/Shanghai', 'YYYY-MM') as key, count(*)::int as n
			from cases c where ${where} group by 1`
		),
		q<{ resolved: number; failed: number; days: number | null; open: number; overdue: number; near: number }>(
			`select count(*) filter (where outcome = 'resolved')::int as resolved,
				count(*) filter (where outcome = 'failed')::int as failed,
				avg(extract(epoch from ended_at - created_at) / 86400) filter (where outcome = 'resolved') as days,
				count(*) filter (where status in ('submitted', 'accepted', 'scheduled', 'in_mediation', 'escalated'))::int as open,
				count(*) filter (where status in ('accepted', 'scheduled', 'in_mediation') and deadline < '${at}')::int as overdue,
				count(*) filter (where status in ('accepted', 'scheduled', 'in_mediation') and deadline >= '${at}'
					and deadline < '${at}'::timestamptz + interval '5 days')::int as near
			from cases c where ${where}`
		)
	]);
	const asMap = (rows: { key: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.key, r.n]));
	return {
		byType: asMap(byType),
		byStatus: asMap(byStatus),
		byVillage: asMap(byVillage),
		byMonth: asMap(byMonth),
		totals
	};
}

const tallies = (rows: { key: string | null; cases: number }[]) =>
	Object.fromEntries(rows.filter((r) => r.cases > 0).map((r) => [r.key, r.cases]));

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

describe('dashboard', () => {
	test('its figures equal direct SQL counts over the cases, for the town and for a village', async ({
		app,
		network
	}) => {
		const now = new Date();
		await seedYear(app, network, now);
		const period = { from: addMonths(monthOf(now), -23), to: monthOf(now) };
		const inPeriod = `c.created_at >= ('${period.from}-01'::timestamp at time zone 'Asia/Shanghai')`;
		for (const [actor, filters, where] of [
			[network.admin, period, inPeriod],
			[
				network.admin,
				{ ...period, org: network.nodes.east.id },
				`${inPeriod} and c.committee_path like '%${network.nodes.east.id}/%'`
			],
			[network.eastMediator, period, `${inPeriod} and c.committee_path like '%${network.nodes.east.id}/%'`]
		] as const) {
			const dashboard = await getDashboard(app.db, actor, filters, now);
			const direct = await directCounts(app, where, now);
			expect(tallies(dashboard.byType)).toEqual(direct.byType);
			expect(tallies(dashboard.byStatus)).toEqual(direct.byStatus);
			expect(tallies(dashboard.byVillage)).toEqual(direct.byVillage);
			expect(tallies(dashboard.byMonth)).toEqual(direct.byMonth);
			expect(dashboard.totals).toMatchObject({ resolved: direct.totals.resolved, failed: direct.totals.failed });
			expect(dashboard.totals.successRate).toBeCloseTo(
				direct.totals.resolved / (direct.totals.resolved + direct.totals.failed),
				10
			);
			expect(dashboard.totals.averageDaysToResolution).toBeCloseTo(Number(direct.totals.days), 6);
			expect(dashboard.live).toEqual({
				open: direct.totals.open,
				overdue: direct.totals.overdue,
				nearDeadline: direct.totals.near
			});
		}
		const town = await getDashboard(app.db, network.admin, period, now);
		expect(town.totals.cases).toBe(14);
		expect(town.byMonth).toHaveLength(24);
		// The case filed 500 days ago lies outside the last 24 months... and inside a longer period.
		const longer = await getDashboard(app.db, network.admin, { ...period, from: addMonths(period.from, -12) }, now);
		expect(longer.totals.cases).toBe(14);
		expect(town.live.overdue + town.live.nearDeadline).toBeGreaterThan(0);
	});

	test('each figure drills down to a case list of the same size', async ({ app, network }) => {
		const now = new Date();
		await seedYear(app, network, now);
		const filters = { from: addMonths(monthOf(now), -11), to: monthOf(now) };
		const dashboard = await getDashboard(app.db, network.admin, filters, now);
		const listed = async (more: Record<string, string>) =>
			(await listCases(app.db, network.admin, { ...filters, ...more }, now)).cases.length;
		for (const row of dashboard.byType) expect(await listed({ disputeType: row.key })).toBe(row.cases);
		for (const row of dashboard.byStatus) expect(await listed({ status: row.key })).toBe(row.cases);
		for (const row of dashboard.byVillage) expect(await listed({ villageId: row.key })).toBe(row.cases);
		for (const row of dashboard.byOutcome) expect(await listed({ outcome: row.key })).toBe(row.cases);
		for (const row of dashboard.byMonth) expect(await listed({ from: row.key, to: row.key })).toBe(row.cases);
		expect(await listed({ open: '1' })).toBe(dashboard.live.open);
		expect(await listed({ deadline: 'overdue' })).toBe(dashboard.live.overdue);
		expect(await listed({ deadline: 'near' })).toBe(dashboard.live.nearDeadline);
		expect(await listed({ org: network.nodes.west.id })).toBe(
			(await getDashboard(app.db, network.admin, { ...filters, org: network.nodes.west.id }, now)).totals.cases
		);
	});

	test('stays within the actor’s subtree; bad filters are refused by field', async ({ app, network }) => {
		const now = new Date();
		await seedYear(app, network, now);
		await expectAppError(getDashboard(app.db, network.eastMediator, { org: network.nodes.west.id }), 'VALIDATION', {
			org: ['invalid']
		});
		await expectAppError(getDashboard(app.db, network.eastAdmin, { org: network.nodes.townId }), 'VALIDATION', {
			org: ['invalid']
		});
		await expectAppError(getDashboard(app.db, network.admin, { from: '2026-13', to: 'june' }), 'VALIDATION', {
			from: ['invalid'],
			to: ['invalid']
		});
		await expectAppError(getDashboard(app.db, network.admin, { from: '2026-05', to: '2026-04' }), 'VALIDATION', {
			to: ['invalid']
		});
		await expectAppError(getDashboard(app.db, network.admin, { from: '2000-01', to: '2026-01' }), 'VALIDATION', {
			from: ['too_long']
		});
		for (const actor of [network.gridWorker, network.partyUser, network.expert])
			await expectAppError(getDashboard(app.db, actor, {}), 'FORBIDDEN');
		const west = await getDashboard(app.db, network.westMediator, {}, now);
		expect(west.byVillage.map((v) => v.name)).toEqual(['西村']);
	});

	test('the statistics are rebuilt whole: a second refresh gives the same figures, new cases count after one', async ({
		app,
		network
	}) => {
		const now = new Date();
		await seedYear(app, network, now);
		const before = await getDashboard(app.db, network.admin, {}, now);
		expect(await refreshStatistics(app.db, now)).toBe(true);
		expect(await getDashboard(app.db, network.admin, {}, now)).toEqual({
			...before,
			refreshedAt: expect.any(Date)
		});
		await fileCase(app, network.nodes.west.id);
		expect((await getDashboard(app.db, network.admin, {}, now)).totals.cases).toBe(before.totals.cases);
		await refreshStatistics(app.db, new Date());
		expect((await getDashboard(app.db, network.admin, {}, new Date())).totals.cases).toBe(before.totals.cases + 1);
	});
});

describe('upkeep', () => {
	test('the app builds the figures when there are none, and its sweep raises what time alone sets off', async ({
		app,
		network
	}) => {
		const late = await fileCase(app, network.nodes.east.id);
		await walkCase(app, network.eastMediator, late.caseId, daysBefore(new Date(), 45), 'accepted');
		expect((await getDashboard(app.db, network.admin, {})).refreshedAt).toBeNull();
		await app.insight.ensureFresh();
		const dashboard = await getDashboard(app.db, network.admin, {});
		expect(dashboard.refreshedAt).toBeInstanceOf(Date);
		expect(dashboard.totals.cases).toBe(1);
		// As if the warning had never been raised: the next sweep finds the overdue case.
		await app.db.delete(warnings);
		await app.insight.sweep();
		expect((await app.db.select().from(warnings)).map((w) => [w.rule, w.caseId])).toEqual([
			['deadline_overdue', late.caseId]
		]);
	});
});

describe('assessment', () => {
	test('per committee and per mediator: handled, resolved, failed, rates, duration and satisfaction', async ({
		app,
		network
	}) => {
		const now = new Date();
		const filed = await seedYear(app, network, now);
		await answerSurvey(app, filed[1].trackingToken!, { score: '5', comment: '很满意' }, null);
		await answerSurvey(app, filed[0].trackingToken!, { score: '2' }, null);
		await refreshStatistics(app.db, now);

		const { committees, mediators } = await getAssessment(
			app.db,
			network.admin,
			{ from: addMonths(monthOf(now), -23), to: monthOf(now) },
			now
		);
		const east = committees.find((c) => c.id === network.committees.east.id)!;
		expect(east).toMatchObject({
			handled: 7,
			resolved: 3,
			failed: 1,
			successRate: 0.75,
			satisfaction: 3.5,
			surveys: 2
		});
		// Accepted the day after filing, each step a day: resolved and failed cases end on day 4, rejected on day 1.
		expect(east.averageDays).toBeCloseTo((4 + 4 + 4 + 4 + 1) / 5, 6);
		// Of the six with a deadline (the rejected case never had one) only the labour case, accepted 39 days ago, overran it.
		expect(east.overdueRate).toBeCloseTo(1 / 6, 10);
		// Whoever accepts a case takes it on; the rejected case had no mediator.
		const [mediator2] = mediators.filter((m) => m.id === network.eastMediator2.id);
		expect(mediator2).toMatchObject({ handled: 3, resolved: 2, failed: 0, satisfaction: 5, surveys: 1 });
		const [mediator1] = mediators.filter((m) => m.id === network.eastMediator.id);
		expect(mediator1).toMatchObject({ handled: 3, resolved: 1, failed: 1, satisfaction: 2, surveys: 1 });
		const town = committees.find((c) => c.id === network.committees.town.id)!;
		expect(town).toMatchObject({ handled: 3, resolved: 2, failed: 0, successRate: 1, satisfaction: null });

		const own = await getAssessment(app.db, network.westMediator, {}, now);
		expect(own.committees.map((c) => c.id)).toEqual([network.committees.west.id]);
		expect(own.mediators.map((m) => m.id)).toEqual([network.westMediator.id]);
	});

	test('a case past its deadline counts as overdue for its committee', async ({ app, network }) => {
		const now = new Date();
		const late = await fileCase(app, network.nodes.west.id);
		await walkCase(app, network.westMediator, late.caseId, daysBefore(now, 45), 'accepted');
		await refreshStatistics(app.db, now);
		const { committees } = await getAssessment(app.db, network.admin, {}, now);
		expect(committees.find((c) => c.id === network.committees.west.id)).toMatchObject({ handled: 1, overdueRate: 1 });
	});
});

describe('satisfaction survey', () => {
	test('is offered once the mediation has ended, answered once, and recorded in the case log', async ({
		app,
		network
	}) => {
		const filed = await fileCase(app, network.nodes.east.id);
		const token = filed.trackingToken!;
		expect(await getTrackedSurvey(app.db, token)).toEqual({ offered: false, answer: null });
		await expectAppError(answerSurvey(app, token, { score: '4' }, null), 'CONFLICT');

		await walkCase(app, network.eastMediator, filed.caseId, daysBefore(new Date(), 10), 'resolved');
		expect(await getTrackedSurvey(app.db, token)).toEqual({ offered: true, answer: null });
		await expectAppError(answerSurvey(app, token, { score: '9' }, null), 'VALIDATION', { score: ['invalid'] });
		await expectAppError(answerSurvey(app, token, { score: '' }, null), 'VALIDATION', { score: ['required'] });
		await expectAppError(answerSurvey(app, token, { score: '3', comment: 'x'.repeat(501) }, null), 'VALIDATION', {
			comment: ['too_long']
		});
		await answerSurvey(app, token, { score: '4', comment: ' 调解员很耐心 ' }, '203.0.113.9');
		expect(await getTrackedSurvey(app.db, token)).toEqual({
			offered: true,
			answer: { score: 4, comment: '调解员很耐心' }
		});
		await expectAppError(answerSurvey(app, token, { score: '1' }, null), 'CONFLICT');
		const [event] = await rowsOf<{ action: string; data: unknown; ip: string }>(
			app.db,
			sql`select action, data, ip from case_events where case_id = ${filed.caseId} order by seq desc limit 1`
		);
		expect(event).toEqual({ action: 'survey.answered', data: { score: 4 }, ip: '203.0.113.9' });
		await expectAppError(getTrackedSurvey(app.db, 'x'.repeat(32)), 'NOT_FOUND');
	});
});

describe('exports', () => {
	test('the export holds every case of the filtered list, not one page', async ({ app, network }) => {
		for (let i = 0; i < 30; i++) await fileCase(app, network.nodes.west.id, { disputeType: i % 3 ? 'land' : 'other' });
		await fileCase(app, network.nodes.east.id, { disputeType: 'land' });
		const rows = await listCasesForExport(app.db, network.admin, {
			disputeType: 'land',
			villageId: network.nodes.west.id
		});
		expect(rows).toHaveLength(20);
		expect(new Set(rows.map((r) => r.id)).size).toBe(20);
		expect(rows[0]).toMatchObject({ villageName: '西村', disputeType: 'land', outcome: null });
		// A cursor (copied from a later page's address) does not shorten the export.
		const { nextCursor } = await listCases(app.db, network.admin, {});
		expect(await listCasesForExport(app.db, network.admin, { cursor: nextCursor! })).toHaveLength(31);
		expect(await listCasesForExport(app.db, network.eastMediator, {})).toHaveLength(1);
		await expectAppError(listCasesForExport(app.db, network.partyUser, {}), 'FORBIDDEN');
		await expectAppError(listCasesForExport(app.db, network.admin, { status: 'lost' }), 'VALIDATION', {
			status: ['invalid']
		});
		expect(CASE_EXPORT_MAX).toBeGreaterThan(10_000);
	});

	test('the monthly report holds the month’s figures, assessment and warnings', async ({ app, network }) => {
		const now = new Date();
		await fileCase(app, network.nodes.east.id, { facts: '双方因宅基地界线发生争执，对方扬言报复。' });
		const resolved = await fileCase(app, network.nodes.west.id);
		await walkCase(app, network.westMediator, resolved.caseId, new Date(now.getTime() - DAY_MS * 0), 'resolved');
		await refreshStatistics(app.db, new Date(now.getTime() + 5 * DAY_MS));
		const month = monthOf(now);
		const report = await getMonthlyReport(app.db, network.admin, { month }, new Date(now.getTime() + 5 * DAY_MS));
		expect(report.month).toBe(month);
		expect(report.orgName).toBe('青石镇');
		expect(report.dashboard.totals).toMatchObject({ cases: 2, resolved: 1 });
		expect(report.warnings).toEqual([{ rule: 'risk_words', severity: 'high', count: 1 }]);
		expect(report.assessment.committees.map((c) => c.handled).sort()).toEqual([1, 1]);
		await expectAppError(getMonthlyReport(app.db, network.admin, { month: '2026-1' }), 'VALIDATION', {
			month: ['invalid']
		});
	});
});
