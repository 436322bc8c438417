import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { canonicalJson, GENESIS_HASH } from '#server/audit/case-event-hash.ts';
import { cases, warningEvents, warnings } from '#server/db/schema.ts';
import { raiseDeadlineWarnings } from '#server/insight/deadline-warnings.ts';
import { acknowledgeWarning, assignWarning, resolveWarning } from '#server/insight/handle-warning.ts';
import { listWarnings } from '#server/insight/list-warnings.ts';
import { raiseCaseWarnings } from '#server/insight/raise-case-warnings.ts';
import { refreshStatistics } from '#server/insight/refresh-statistics.ts';
import { raiseSurgeWarnings, sweepWarnings } from '#server/insight/sweep-warnings.ts';
import { getWarningSettings, updateWarningSettings } from '#server/insight/warning-settings.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { DEFAULT_WARNING_SETTINGS, type RiskCategory, type WarningRule } from '#shared/warnings.ts';
import { createHash } from 'node:crypto';
import { daysBefore, fileCase } from '../support/case-history.ts';
import { setUpNetwork } from '../support/case-network.ts';
import { expectAppError, test as base } from '../support/integration-test.ts';

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

const DAY_MS = 86_400_000;

async function warningsOf(app: App, rule: WarningRule) {
	return app.db.select().from(warnings).where(eq(warnings.rule, rule)).orderBy(warnings.createdAt);
}

async function backdate(app: App, caseId: string, createdAt: Date) {
	await app.db.update(cases).set({ createdAt }).where(eq(cases.id, caseId));
}

/** The settings form as an admin submits it: the defaults with some fields changed, word lists one a line. */
function settingsForm(changes: Record<string, string> = {}, words: Partial<Record<RiskCategory, string>> = {}) {
	const { riskWords, ...numbers } = DEFAULT_WARNING_SETTINGS;
	return {
		...Object.fromEntries(Object.entries(numbers).map(([key, value]) => [key, String(value)])),
		riskWords: {
			...Object.fromEntries(Object.entries(riskWords).map(([key, list]) => [key, list.join('\n')])),
			...words
		},
		...changes
	};
}

describe('risk words', () => {
	test('fire on violence, threats, petitions and group disputes in Chinese or English, with the worst severity', async ({
		app,
		network
	}) => {
		const threat = await fileCase(app, network.nodes.east.id, { facts: '被申请人多次上门，扬言要报复，还动手打人。' });
		const english = await fileCase(app, network.nodes.west.id, {
			facts: 'The neighbour threatened revenge and said he would petition the county.'
		});
		const [chinese, latin] = await warningsOf(app, 'risk_words');
		expect(chinese).toMatchObject({ caseId: threat.caseId, severity: 'high' });
		expect(chinese.details).toMatchObject({ categories: ['violence', 'threat'], words: ['打人', '动手', '报复'] });
		expect(latin).toMatchObject({ caseId: english.caseId, severity: 'high' });
		expect(latin.details).toMatchObject({ categories: ['threat', 'petition'], words: ['revenge', 'petition'] });
	});

	test('do not fire on ordinary facts, nor on a Latin word inside another', async ({ app, network }) => {
		await fileCase(app, network.nodes.east.id);
		await fileCase(app, network.nodes.east.id, { facts: 'A skilled builder left the group of houses unfinished.' });
		// "group" alone is not a risk word; "group dispute" is.
		expect(await warningsOf(app, 'risk_words')).toEqual([]);
	});

	test('follow the lists the admin sets', async ({ app, network }) => {
		await updateWarningSettings(app.db, network.admin, settingsForm({}, { group: '排水沟' }));
		await fileCase(app, network.nodes.east.id);
		const [warning] = await warningsOf(app, 'risk_words');
		expect(warning.details).toMatchObject({ categories: ['group'], words: ['排水沟'] });
		expect(warning.severity).toBe('medium');
	});
});

describe('repeated disputes', () => {
	test('the same person (by phone) within the window: the later case warns, naming the earlier', async ({
		app,
		network
	}) => {
		const first = await fileCase(app, network.nodes.east.id, { applicant: { name: '李秀英', phone: '13800001111' } });
		expect(await warningsOf(app, 'repeat_person')).toEqual([]);
		const second = await fileCase(app, network.nodes.west.id, {
			applicant: { name: '李秀英', phone: '13800001111' },
			disputeType: 'family'
		});
		const [warning] = await warningsOf(app, 'repeat_person');
		expect(warning).toMatchObject({ caseId: second.caseId, severity: 'medium' });
		expect(warning.details).toMatchObject({ cases: [{ id: first.caseId, number: first.number }] });
		const third = await fileCase(app, network.nodes.west.id, {
			applicant: { name: '李秀英', phone: '13800001111' },
			disputeType: 'contract'
		});
		const latest = (await warningsOf(app, 'repeat_person')).find((w) => w.caseId === third.caseId);
		expect(latest?.severity).toBe('high');
	});

	test('the same person outside the window, or another person, does not warn', async ({ app, network }) => {
		const old = await fileCase(app, network.nodes.east.id, { applicant: { name: '李秀英', phone: '13800001111' } });
		await backdate(app, old.caseId, new Date(Date.now() - 31 * DAY_MS));
		await fileCase(app, network.nodes.east.id, { applicant: { name: '李秀英', phone: '13800001111' } });
		await fileCase(app, network.nodes.east.id, { applicant: { name: '李秀英', phone: '13800002222' } });
		expect(await warningsOf(app, 'repeat_person')).toEqual([]);
	});

	test('without a phone, the same name in the same place counts; in another place it does not', async ({
		app,
		network
	}) => {
		const noPhone = { name: '赵四', address: '' };
		await fileCase(app, network.nodes.east.id, { respondents: [noPhone] });
		await fileCase(app, network.nodes.west.id, { respondents: [noPhone] });
		expect(await warningsOf(app, 'repeat_person')).toEqual([]);
		const again = await fileCase(app, network.nodes.east.id, { respondents: [noPhone] });
		const [warning] = await warningsOf(app, 'repeat_person');
		expect(warning.caseId).toBe(again.caseId);
	});

	test('the same household (address) with another person warns; another address does not', async ({ app, network }) => {
		await fileCase(app, network.nodes.east.id, {
			applicant: { name: '王大', phone: '13811110000', address: '东村5号' }
		});
		await fileCase(app, network.nodes.east.id, {
			applicant: { name: '王二', phone: '13811110001', address: '东村6号' }
		});
		expect(await warningsOf(app, 'repeat_household')).toEqual([]);
		const again = await fileCase(app, network.nodes.east.id, {
			applicant: { name: '王三', phone: '13811110002', address: '东村5号' }
		});
		const [warning] = await warningsOf(app, 'repeat_household');
		expect(warning).toMatchObject({ caseId: again.caseId, severity: 'medium' });
		expect(warning.details).toMatchObject({ address: '东村5号' });
		expect(await warningsOf(app, 'repeat_person')).toEqual([]);
	});

	test('the same place and type warns at the threshold, once a month', async ({ app, network }) => {
		await fileCase(app, network.nodes.eastGroup.id, { disputeType: 'land' });
		await fileCase(app, network.nodes.eastGroup.id, { disputeType: 'land' });
		await fileCase(app, network.nodes.eastGroup.id, { disputeType: 'family' });
		await fileCase(app, network.nodes.east.id, { disputeType: 'land' });
		expect(await warningsOf(app, 'repeat_place')).toEqual([]);
		const third = await fileCase(app, network.nodes.eastGroup.id, { disputeType: 'land' });
		await fileCase(app, network.nodes.eastGroup.id, { disputeType: 'land' });
		const found = await warningsOf(app, 'repeat_place');
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({ caseId: third.caseId, villageId: network.nodes.eastGroup.id });
		expect(found[0].details).toMatchObject({ disputeType: 'land', count: 3 });
	});
});

describe('village surge', () => {
	/** `perMonth[i]` cases filed in the village i months ago (0: this month). */
	async function history(app: App, villageId: string, perMonth: number[], now: Date) {
		for (const [monthsAgo, count] of perMonth.entries())
			for (let i = 0; i < count; i++) {
				const filed = await fileCase(app, villageId, { disputeType: 'other' });
				const at = new Date(now);
				at.setUTCDate(Math.min(at.getUTCDate(), 28));
				at.setUTCMonth(at.getUTCMonth() - monthsAgo);
				await backdate(app, filed.caseId, monthsAgo ? at : now);
			}
	}

	test('fires when this month exceeds the trailing average by the margin', async ({ app, network }) => {
		const now = new Date();
		await history(app, network.nodes.west.id, [6, 1, 2, 1, 1, 1, 0], now);
		await refreshStatistics(app.db, now);
		expect(await raiseSurgeWarnings(app.db, now)).toBe(1);
		const [warning] = await warningsOf(app, 'village_surge');
		expect(warning).toMatchObject({ villageId: network.nodes.west.id, severity: 'high' });
		expect(warning.details).toMatchObject({ village: '西村', count: 6, average: 1 });
		// Once per village and month.
		expect(await raiseSurgeWarnings(app.db, now)).toBe(0);
	});

	test('does not fire within the margin, nor below the minimum count', async ({ app, network }) => {
		const now = new Date();
		await history(app, network.nodes.west.id, [6, 4, 5, 4, 4, 4, 5], now);
		await history(app, network.nodes.east.id, [4, 0, 0, 0, 0, 0, 0], now);
		await refreshStatistics(app.db, now);
		expect(await raiseSurgeWarnings(app.db, now)).toBe(0);
		// A lower margin makes the same month a surge.
		await updateWarningSettings(app.db, network.admin, settingsForm({ surgeMarginPercent: '20' }));
		expect(await raiseSurgeWarnings(app.db, now)).toBe(1);
	});
});

describe('deadlines', () => {
	test('a case near its deadline warns, then again once it is past it', async ({ app, network }) => {
		const now = new Date();
		const filed = await fileCase(app, network.nodes.east.id);
		// Accepted with three days left: the rules that run on the change raise it at once.
		await transitionCase(
			app,
			network.eastMediator,
			{ caseId: filed.caseId, transition: 'accept', consent: 'on' },
			null,
			daysBefore(now, 27)
		);
		const [near] = await warningsOf(app, 'deadline_near');
		expect(near).toMatchObject({ caseId: filed.caseId, severity: 'medium' });
		expect(await raiseDeadlineWarnings(app.db, now)).toBe(0);
		expect(await raiseDeadlineWarnings(app.db, new Date(now.getTime() + 2 * DAY_MS))).toBe(0);
		expect(await raiseDeadlineWarnings(app.db, new Date(now.getTime() + 4 * DAY_MS))).toBe(1);
		const [overdue] = await warningsOf(app, 'deadline_overdue');
		expect(overdue).toMatchObject({ caseId: filed.caseId, severity: 'high' });
	});

	test('a case with time left, or one whose mediation ended, does not warn', async ({ app, network }) => {
		const now = new Date();
		const fresh = await fileCase(app, network.nodes.east.id);
		await transitionCase(
			app,
			network.eastMediator,
			{ caseId: fresh.caseId, transition: 'accept', consent: 'on' },
			null,
			daysBefore(now, 10)
		);
		const ended = await fileCase(app, network.nodes.east.id);
		await transitionCase(
			app,
			network.eastMediator,
			{ caseId: ended.caseId, transition: 'accept', consent: 'on' },
			null,
			daysBefore(now, 20)
		);
		await transitionCase(
			app,
			network.eastMediator,
			{ caseId: ended.caseId, transition: 'withdraw', reason: '双方自行和解' },
			null,
			daysBefore(now, 19)
		);
		// Twelve days on, the first has eight days left; the second would be overdue had it not ended.
		expect(await raiseDeadlineWarnings(app.db, new Date(now.getTime() + 12 * DAY_MS))).toBe(0);
		expect(await app.db.select().from(warnings)).toEqual([]);
	});
});

describe('running the rules', () => {
	test('is idempotent: the sweep and the per-case rules raise nothing twice', async ({ app, network }) => {
		const now = new Date();
		const filed = await fileCase(app, network.nodes.east.id, { facts: '对方威胁要堵路上访。' });
		await transitionCase(
			app,
			network.eastMediator,
			{ caseId: filed.caseId, transition: 'accept', consent: 'on' },
			null,
			daysBefore(now, 40)
		);
		await fileCase(app, network.nodes.east.id, { applicant: { name: '甲', phone: '13512345678' } });
		await fileCase(app, network.nodes.east.id, { applicant: { name: '甲', phone: '13512345678' } });
		const raisedOnChange = await app.db.select().from(warnings);
		expect(raisedOnChange.map((w) => w.rule).sort()).toEqual([
			'deadline_overdue',
			'repeat_person',
			'repeat_place',
			'risk_words'
		]);
		// As if the process had died between filing and checking: the sweep catches up.
		await app.db.delete(warnings);
		await refreshStatistics(app.db, now);
		expect(await sweepWarnings(app.db, daysBefore(now, 1), now)).toBe(4);
		const count = (await app.db.select().from(warnings)).length;
		expect(await sweepWarnings(app.db, daysBefore(now, 1), now)).toBe(0);
		expect(await raiseCaseWarnings(app.db, filed.caseId, now)).toBe(0);
		expect(await app.db.select().from(warnings)).toHaveLength(count);
	});
});

describe('thresholds', () => {
	test('an admin reads and changes them; a lower place threshold fires sooner', async ({ app, network }) => {
		expect(await getWarningSettings(app.db, network.admin)).toEqual(DEFAULT_WARNING_SETTINGS);
		const saved = await updateWarningSettings(
			app.db,
			network.admin,
			settingsForm({ repeatPlaceMinCases: '2' }, { violence: '打架\n斗殴, fight' })
		);
		expect(saved.riskWords.violence).toEqual(['打架', '斗殴', 'fight']);
		expect(await getWarningSettings(app.db, network.admin)).toEqual(saved);
		await fileCase(app, network.nodes.west.id, { disputeType: 'land' });
		await fileCase(app, network.nodes.west.id, { disputeType: 'land' });
		expect(await warningsOf(app, 'repeat_place')).toHaveLength(1);
	});

	test('a village admin sets its own, which override the town’s below it only', async ({ app, network }) => {
		await updateWarningSettings(app.db, network.eastAdmin, settingsForm({ repeatPlaceMinCases: '2' }));
		await fileCase(app, network.nodes.west.id, { disputeType: 'land' });
		await fileCase(app, network.nodes.west.id, { disputeType: 'land' });
		expect(await warningsOf(app, 'repeat_place')).toEqual([]);
		await fileCase(app, network.nodes.east.id, { disputeType: 'land' });
		await fileCase(app, network.nodes.east.id, { disputeType: 'land' });
		expect(await warningsOf(app, 'repeat_place')).toHaveLength(1);
	});

	test('bad values are refused field by field and change nothing; only admins may set them', async ({
		app,
		network
	}) => {
		await expectAppError(
			updateWarningSettings(
				app.db,
				network.admin,
				settingsForm({ repeatWindowDays: '0', surgeMarginPercent: 'lots' }, { threat: 'x'.repeat(21) })
			),
			'VALIDATION',
			{ repeatWindowDays: ['invalid'], surgeMarginPercent: ['invalid'], 'riskWords.threat': ['too_long'] }
		);
		await expectAppError(updateWarningSettings(app.db, network.admin, { riskWords: 'all' }), 'VALIDATION');
		expect(await getWarningSettings(app.db, network.admin)).toEqual(DEFAULT_WARNING_SETTINGS);
		await expectAppError(updateWarningSettings(app.db, network.eastMediator, settingsForm()), 'FORBIDDEN');
		await expectAppError(getWarningSettings(app.db, network.gridWorker), 'FORBIDDEN');
	});
});

describe('handling warnings', () => {
	async function riskWarning(app: App, villageId: string) {
		const filed = await fileCase(app, villageId, { facts: '对方在争吵中持刀威胁申请人一家。' });
		const [warning] = await app.db.select().from(warnings).where(eq(warnings.caseId, filed.caseId));
		return warning;
	}

	test('acknowledge, assign and resolve, each an event in the warning’s hash chain', async ({ app, network }) => {
		const warning = await riskWarning(app, network.nodes.east.id);
		const warningId = warning.id;
		await acknowledgeWarning(app.db, network.admin, { warningId }, '198.51.100.1');
		await assignWarning(app.db, network.admin, { warningId, assigneeId: network.eastMediator.id }, null);
		await resolveWarning(app.db, network.eastMediator, { warningId, note: '已上门调处，双方情绪平稳' }, null);

		const [row] = await app.db.select().from(warnings).where(eq(warnings.id, warningId));
		expect(row).toMatchObject({ status: 'resolved', assigneeId: network.eastMediator.id });
		const events = await app.db
			.select()
			.from(warningEvents)
			.where(eq(warningEvents.warningId, warningId))
			.orderBy(warningEvents.seq);
		expect(events.map((e) => [e.action, e.actorId])).toEqual([
			['warning.acknowledged', network.admin.id],
			['warning.assigned', network.admin.id],
			['warning.resolved', network.eastMediator.id]
		]);
		expect(events[0]).toMatchObject({ ip: '198.51.100.1', prevHash: GENESIS_HASH });
		for (const [i, event] of events.entries()) {
			if (i) expect(event.prevHash).toBe(events[i - 1].hash);
			const { id: _, hash, ...content } = event;
			const expected = createHash('sha256')
				.update(canonicalJson({ ...content, createdAt: content.createdAt.toISOString() }))
				.digest('hex');
			expect(hash).toBe(expected);
		}
		expect(events[2].data).toEqual({ note: '已上门调处，双方情绪平稳' });

		const listed = await listWarnings(app.db, network.admin, { status: 'resolved' });
		expect(listed.map((w) => [w.id, w.assigneeName, w.caseStatus, w.events.length])).toEqual([
			[warningId, network.eastMediator.displayName, 'submitted', 3]
		]);
		const mine = (actor: typeof network.admin) => listWarnings(app.db, actor, { status: 'resolved', mine: '1' });
		expect((await mine(network.eastMediator)).map((w) => w.id)).toEqual([warningId]);
		expect(await mine(network.eastMediator2)).toEqual([]);
		expect(await listWarnings(app.db, network.admin, {})).toEqual([]);
	});

	test('a step the status does not allow, or bad input, is refused and changes nothing', async ({ app, network }) => {
		const { id: warningId } = await riskWarning(app, network.nodes.east.id);
		await acknowledgeWarning(app.db, network.admin, { warningId }, null);
		await expectAppError(acknowledgeWarning(app.db, network.admin, { warningId }, null), 'INVALID_TRANSITION');
		await expectAppError(resolveWarning(app.db, network.admin, { warningId, note: ' ' }, null), 'VALIDATION', {
			note: ['required']
		});
		await expectAppError(
			assignWarning(app.db, network.admin, { warningId, assigneeId: network.expert.id }, null),
			'VALIDATION',
			{ assigneeId: ['invalid'] }
		);
		await expectAppError(acknowledgeWarning(app.db, network.admin, { warningId: 'nope' }, null), 'VALIDATION', {
			warningId: ['invalid']
		});
		await resolveWarning(app.db, network.admin, { warningId, note: '已处理' }, null);
		await expectAppError(
			resolveWarning(app.db, network.admin, { warningId, note: '再次' }, null),
			'INVALID_TRANSITION'
		);
		const events = await app.db.select().from(warningEvents).where(eq(warningEvents.warningId, warningId));
		expect(events.map((e) => e.action)).toEqual(['warning.acknowledged', 'warning.resolved']);
	});

	test('each sees the warnings of their subtree; others are missing to them', async ({ app, network }) => {
		const east = await riskWarning(app, network.nodes.east.id);
		const west = await riskWarning(app, network.nodes.west.id);
		const ids = async (actor: typeof network.admin) => (await listWarnings(app.db, actor, {})).map((w) => w.id).sort();
		expect(await ids(network.admin)).toEqual([east.id, west.id].sort());
		expect(await ids(network.eastMediator)).toEqual([east.id]);
		expect(await ids(network.eastAdmin)).toEqual([east.id]);
		expect(await ids(network.westMediator)).toEqual([west.id]);
		await expectAppError(acknowledgeWarning(app.db, network.westMediator, { warningId: east.id }, null), 'NOT_FOUND');
		await expectAppError(listWarnings(app.db, network.gridWorker, {}), 'FORBIDDEN');
		await expectAppError(listWarnings(app.db, network.partyUser, {}), 'FORBIDDEN');
		await expectAppError(listWarnings(app.db, network.admin, { severity: 'extreme' }), 'VALIDATION', {
			severity: ['invalid']
		});
		const [row] = await app.db.select({ status: warnings.status }).from(warnings).where(eq(warnings.id, east.id));
		expect(row.status).toBe('open');
	});
});
