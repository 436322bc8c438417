import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { verifyCaseChains } from '#server/audit/verify-case-chains.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import type { Actor } from '#shared/roles.ts';
import { intakeForm, setUpNetwork, type Network } from '../support/case-network.ts';
import { CLIENT, expectAppError, test as base } from '../support/integration-test.ts';

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

/** A case applied for in `villageId` and taken through `steps` by `mediator`. */
async function caseWithHistory(app: App, villageId: string, mediator: Actor, steps: Record<string, string>[]) {
	const created = await applyOnline(app, intakeForm(villageId), [], CLIENT.ip);
	for (const step of steps) await transitionCase(app, mediator, { caseId: created.caseId, ...step }, CLIENT.ip);
	return created;
}

const accept = { transition: 'accept', consent: 'on' };
const schedule = { transition: 'schedule', scheduledFor: '2026-12-01T09:30' };
const start = { transition: 'start' };

/**
 * Four cases around the town, each with a few audit events: two in 东村, one
 * in 西村, one in 南村 (handled by the town committee).
 */
async function fourCases(app: App, network: Network) {
	const { east, west, south } = network.nodes;
	return {
		eastEdited: await caseWithHistory(app, east.id, network.eastMediator, [accept, schedule]),
		eastCut: await caseWithHistory(app, east.id, network.eastMediator, [accept, schedule, start]),
		west: await caseWithHistory(app, west.id, network.westMediator, [accept]),
		south: await caseWithHistory(app, south.id, network.townMediator, [accept, schedule])
	};
}

describe('verifying the audit chains of an admin’s cases', () => {
	test('finds exactly the chain edited in SQL and the one cut in the middle, with their reasons', async ({
		app,
		network
	}) => {
		const cases = await fourCases(app, network);
		expect(await verifyCaseChains(app.db, network.admin)).toEqual({ checked: 4, intact: 4, broken: [], lookup: null });

		await app.db.execute(
			sql`update case_events set data = data || '{"scheduledFor": "2026-12-24T09:30"}'::jsonb
				where case_id = ${cases.eastEdited.caseId} and seq = 3`
		);
		await app.db.execute(sql`delete from case_events where case_id = ${cases.eastCut.caseId} and seq = 2`);

		const report = await verifyCaseChains(app.db, network.admin);
		expect(report).toMatchObject({ checked: 4, intact: 2 });
		expect(
			report.broken.map(({ number, verdict }) => ({ number, verdict })).sort((a, b) => a.number.localeCompare(b.number))
		).toEqual([
			{ number: cases.eastEdited.number, verdict: { intact: false, brokenAt: 3, reason: 'hash_mismatch' } },
			{ number: cases.eastCut.number, verdict: { intact: false, brokenAt: 2, reason: 'missing_event' } }
		]);
	});

	test('a village admin verifies only the cases of their subtree, and looks up only those', async ({
		app,
		network
	}) => {
		const cases = await fourCases(app, network);
		await app.db.execute(sql`delete from case_events where case_id = ${cases.west.caseId} and seq = 1`);

		const east = await verifyCaseChains(app.db, network.eastAdmin, { number: cases.west.number });
		expect(east).toEqual({ checked: 2, intact: 2, broken: [], lookup: { number: cases.west.number, chain: null } });

		const town = await verifyCaseChains(app.db, network.admin, { number: cases.west.number.toLowerCase() });
		expect(town).toMatchObject({ checked: 4, intact: 3, broken: [{ number: cases.west.number }] });
		expect(town.lookup).toMatchObject({
			number: cases.west.number,
			chain: { caseId: cases.west.caseId, verdict: { intact: false, brokenAt: 1, reason: 'missing_event' } }
		});
	});

	test('checks the most recently changed cases first, and still finds an older one by its number', async ({
		app,
		network
	}) => {
		const cases = await fourCases(app, network);
		await app.db.execute(sql`delete from case_events where case_id = ${cases.west.caseId} and seq = 1`);
		await transitionCase(app, network.westMediator, { caseId: cases.west.caseId, ...schedule }, CLIENT.ip);

		expect(await verifyCaseChains(app.db, network.admin, {}, 1)).toMatchObject({
			checked: 1,
			intact: 0,
			broken: [{ caseId: cases.west.caseId }]
		});

		await transitionCase(app, network.eastMediator, { caseId: cases.eastEdited.caseId, ...start }, CLIENT.ip);
		const report = await verifyCaseChains(app.db, network.admin, { number: cases.west.number }, 1);
		expect(report).toMatchObject({ checked: 1, intact: 1, broken: [] });
		expect(report.lookup?.chain).toMatchObject({
			caseId: cases.west.caseId,
			verdict: { intact: false, brokenAt: 1, reason: 'missing_event' }
		});
	});

	test('is for admins only, and refuses a lookup no case number could match', async ({ app, network }) => {
		await expectAppError(verifyCaseChains(app.db, network.eastMediator), 'FORBIDDEN');
		await expectAppError(verifyCaseChains(app.db, network.admin, { number: 'x'.repeat(41) }), 'VALIDATION', {
			number: ['too_long']
		});
	});
});
