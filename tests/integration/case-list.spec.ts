import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { assignMediators } from '#server/cases/assign-mediators.ts';
import { CASE_PAGE_SIZE, listCases } from '#server/cases/list-cases.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { cases } from '#server/db/schema.ts';
import { intakeForm, setUpNetwork } from '../support/case-network.ts';
import { expectAppError, test as base } from '../support/integration-test.ts';

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

async function numbersFor(app: App, actor: Parameters<typeof listCases>[1], filters: Record<string, unknown>) {
	const page = await listCases(app.db, actor, filters);
	return page.cases.map((c) => c.number).sort();
}

describe('case list', () => {
	test('filters by status, type, village (with its groups), mediator and deadline', async ({ app, network }) => {
		const east = await applyOnline(app, intakeForm(network.nodes.east.id, { disputeType: 'land' }), [], null);
		const group = await applyOnline(app, intakeForm(network.nodes.eastGroup.id, { disputeType: 'family' }), [], null);
		const west = await applyOnline(app, intakeForm(network.nodes.west.id, { disputeType: 'land' }), [], null);
		const now = new Date('2026-11-28T08:00:00Z');
		await transitionCase(
			app,
			network.eastMediator,
			{ caseId: east.caseId, transition: 'accept', consent: 'on' },
			null,
			new Date('2026-10-01T08:00:00Z')
		);
		await transitionCase(
			app,
			network.eastMediator2,
			{ caseId: group.caseId, transition: 'accept', consent: 'on' },
			null,
			new Date('2026-11-01T08:00:00Z')
		);
		await transitionCase(
			app,
			network.westMediator,
			{ caseId: west.caseId, transition: 'accept', consent: 'on' },
			null,
			now
		);
		const admin = network.admin;

		expect(await numbersFor(app, admin, { status: 'accepted' })).toEqual(
			[east.number, group.number, west.number].sort()
		);
		expect(await numbersFor(app, admin, { status: 'submitted' })).toEqual([]);
		expect(await numbersFor(app, admin, { disputeType: 'land' })).toEqual([east.number, west.number].sort());
		expect(await numbersFor(app, admin, { villageId: network.nodes.east.id })).toEqual(
			[east.number, group.number].sort()
		);
		expect(await numbersFor(app, admin, { villageId: network.nodes.eastGroup.id })).toEqual([group.number]);
		expect(await numbersFor(app, admin, { mediatorId: network.eastMediator2.id })).toEqual([group.number]);
		// Accepted 2026-10-01 with 30 days: overdue on 11-28; accepted 11-01: due 12-01, near; accepted today: on time.
		const page = await listCases(app.db, admin, { deadline: 'overdue' }, now);
		expect(page.cases.map((c) => [c.number, c.deadlineState])).toEqual([[east.number, 'overdue']]);
		const near = await listCases(app.db, admin, { deadline: 'near' }, now);
		expect(near.cases.map((c) => [c.number, c.deadlineState])).toEqual([[group.number, 'near']]);
		expect(await numbersFor(app, admin, { disputeType: 'land', villageId: network.nodes.west.id })).toEqual([
			west.number
		]);
	});

	test('lists parties and places, newest first', async ({ app, network }) => {
		const older = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const newer = await applyOnline(
			app,
			intakeForm(network.nodes.west.id, { respondents: [{ name: '赵大' }, { name: '钱二' }] }),
			[],
			null
		);
		await assignMediators(app, network.admin, { caseId: older.caseId, mediatorIds: [network.eastMediator.id] }, null);

		const page = await listCases(app.db, network.admin, {});

		expect(page.cases.map((c) => c.number)).toEqual([newer.number, older.number]);
		expect(page.cases[0]).toMatchObject({
			applicants: '李秀英',
			respondents: '赵大、钱二',
			villageName: '西村',
			committeeName: '西村人民调解委员会',
			status: 'submitted',
			deadlineState: null
		});
		expect(page.nextCursor).toBeNull();
	});

	test('keyset pagination visits every case exactly once, even with equal creation times', async ({ app, network }) => {
		const total = CASE_PAGE_SIZE * 2 + 3;
		for (let i = 0; i < total; i++) await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		// Ten cases share one instant, so only the id breaks the tie.
		const sameInstant = await app.db.select({ id: cases.id }).from(cases).limit(10);
		for (const { id } of sameInstant)
			await app.db
				.update(cases)
				.set({ createdAt: new Date('2026-06-01T00:00:00.123Z') })
				.where(eq(cases.id, id));

		const seen: string[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const page = await listCases(app.db, network.admin, { cursor });
			seen.push(...page.cases.map((c) => c.id));
			cursor = page.nextCursor ?? undefined;
			pages++;
		} while (cursor);

		expect(pages).toBe(3);
		expect(seen).toHaveLength(total);
		expect(new Set(seen).size).toBe(total);
	});

	test('a forged cursor or unknown filter value is refused', async ({ app, network }) => {
		await expectAppError(listCases(app.db, network.admin, { cursor: 'not-a-cursor' }), 'VALIDATION', {
			cursor: ['invalid']
		});
		await expectAppError(
			listCases(app.db, network.admin, { cursor: Buffer.from('["2026-01-01", "x"]').toString('base64url') }),
			'VALIDATION',
			{ cursor: ['invalid'] }
		);
		await expectAppError(listCases(app.db, network.admin, { status: 'lost', villageId: 'east' }), 'VALIDATION', {
			status: ['invalid'],
			villageId: ['invalid']
		});
	});
});

describe('search', () => {
	test('finds Chinese text in the facts and the party names, by any part of a word', async ({ app, network }) => {
		const drain = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const wages = await applyOnline(
			app,
			intakeForm(network.nodes.east.id, {
				disputeType: 'labour',
				facts: '在建筑工地打工三个月，包工头欧阳建华拖欠工资一万二千元。',
				applicant: { name: '张伟', phone: '13700137000' },
				respondents: [{ name: '欧阳建华' }]
			}),
			[],
			null
		);
		const search = (q: string) => numbersFor(app, network.admin, { q });

		expect(await search('排水沟')).toEqual([drain.number]);
		expect(await search('工资')).toEqual([wages.number]);
		expect(await search('欧阳建华')).toEqual([wages.number]);
		expect(await search('建华')).toEqual([wages.number]);
		expect(await search('王建国')).toEqual([drain.number]);
		expect(await search('李秀英')).toEqual([drain.number]);
		expect(await search('伟')).toEqual([wages.number]);
		expect(await search('建')).toEqual([drain.number, wages.number].sort());
		// Both words occur, but not as one: no match.
		expect(await search('工资排水')).toEqual([]);
		expect(await search('拖欠 工资')).toEqual([wages.number]);
		expect(await search('宅基地')).toEqual([]);
		expect(await numbersFor(app, network.admin, { q: '工资', disputeType: 'land' })).toEqual([]);
		// Punctuation alone searches for nothing in particular.
		expect(await search('，。')).toEqual([drain.number, wages.number].sort());
	});

	test('search stays inside what the actor may see', async ({ app, network }) => {
		await applyOnline(app, intakeForm(network.nodes.west.id), [], null);

		expect(await numbersFor(app, network.eastMediator, { q: '排水沟' })).toEqual([]);
		expect(await numbersFor(app, network.westMediator, { q: '排水沟' })).toHaveLength(1);
	});
});
