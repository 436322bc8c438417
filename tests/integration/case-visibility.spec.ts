import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { addEvidence } from '#server/cases/add-evidence.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { getCase } from '#server/cases/get-case.ts';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import { listCases } from '#server/cases/list-cases.ts';
import { reportDispute } from '#server/cases/report-dispute.ts';
import { getTrackedCase } from '#server/cases/track-case.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { caseMediators, caseParties } from '#server/db/schema.ts';
import type { Actor } from '#shared/roles.ts';
import { intakeForm, setUpNetwork, type Network } from '../support/case-network.ts';
import { expectAppError, test as base } from '../support/integration-test.ts';

/**
 * Four cases across the network: an online application in 东村, a grid
 * report in 东村, an application in 西村, and one in 南村 (no committee, so the town's).
 */
async function seedCases(app: App, network: Network) {
	const east = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
	const reported = await reportDispute(app, network.gridWorker, intakeForm(network.nodes.eastGroup.id), [], null);
	const west = await applyOnline(app, intakeForm(network.nodes.west.id), [], null);
	const south = await applyOnline(app, intakeForm(network.nodes.south.id), [], null);
	return {
		east: east.caseId,
		reported: reported.caseId,
		west: west.caseId,
		south: south.caseId,
		eastToken: east.trackingToken!
	};
}

const test = base
	.extend('network', async ({ app }) => setUpNetwork(app))
	.extend('seeded', async ({ app, network }) => seedCases(app, network));

async function visibleIds(app: App, actor: Actor): Promise<string[]> {
	const page = await listCases(app.db, actor, {});
	return page.cases.map((c) => c.id).sort();
}

describe('who sees which case', () => {
	test('a town admin sees every case of the town; a village admin only their village’s', async ({
		app,
		network,
		seeded
	}) => {
		expect(await visibleIds(app, network.admin)).toEqual(
			[seeded.east, seeded.reported, seeded.west, seeded.south].sort()
		);
		expect(await visibleIds(app, network.eastAdmin)).toEqual([seeded.east, seeded.reported].sort());
		await expectAppError(getCase(app.db, network.eastAdmin, seeded.west), 'NOT_FOUND');
	});

	test('a committee sees its cases and its children’s', async ({ app, network, seeded }) => {
		expect(await visibleIds(app, network.townMediator)).toEqual(
			[seeded.east, seeded.reported, seeded.west, seeded.south].sort()
		);
		expect(await visibleIds(app, network.eastMediator)).toEqual([seeded.east, seeded.reported].sort());
		expect(await visibleIds(app, network.westMediator)).toEqual([seeded.west]);
		expect(await visibleIds(app, network.bodyMediator)).toEqual([]);
		await expectAppError(getCase(app.db, network.westMediator, seeded.east), 'NOT_FOUND');
		await expectAppError(
			transitionCase(app, network.westMediator, { caseId: seeded.east, transition: 'accept', consent: 'on' }, null),
			'NOT_FOUND'
		);
	});

	test('a mediator assigned to a case elsewhere sees that case', async ({ app, network, seeded }) => {
		await app.db.insert(caseMediators).values({ caseId: seeded.west, userId: network.bodyMediator.id });

		expect(await visibleIds(app, network.bodyMediator)).toEqual([seeded.west]);
	});

	test('a grid worker sees what they reported, and nothing else', async ({ app, network, seeded }) => {
		expect(await visibleIds(app, network.gridWorker)).toEqual([seeded.reported]);
		expect(await visibleIds(app, network.gridWorker2)).toEqual([]);
		await expectAppError(getCase(app.db, network.gridWorker, seeded.east), 'NOT_FOUND');
		await expectAppError(addEvidence(app, network.gridWorker2, { caseId: seeded.reported }, [], null), 'NOT_FOUND');
	});

	test('a legal expert sees a case once invited to it', async ({ app, network, seeded }) => {
		expect(await visibleIds(app, network.expert)).toEqual([]);
		await expectAppError(getCase(app.db, network.expert, seeded.east), 'NOT_FOUND');

		await inviteExpert(app, network.eastMediator, { caseId: seeded.east, expertId: network.expert.id }, null);

		expect(await visibleIds(app, network.expert)).toEqual([seeded.east]);
		const detail = await getCase(app.db, network.expert, seeded.east);
		expect(detail.notes).toEqual([]);
		expect(detail.can.transitions).toEqual([]);
		// Only a mediator of a committee that sees the case may invite.
		await expectAppError(
			inviteExpert(app, network.westMediator, { caseId: seeded.east, expertId: network.expert.id }, null),
			'NOT_FOUND'
		);
	});

	test('a party sees only their own cases, without the committee’s internals', async ({ app, network, seeded }) => {
		expect(await visibleIds(app, network.partyUser)).toEqual([]);
		await app.db.update(caseParties).set({ userId: network.partyUser.id }).where(eq(caseParties.caseId, seeded.west));

		expect(await visibleIds(app, network.partyUser)).toEqual([seeded.west]);
		await expectAppError(getCase(app.db, network.partyUser, seeded.east), 'NOT_FOUND');
		const detail = await getCase(app.db, network.partyUser, seeded.west);
		expect(detail.parties.every((p) => p.details.phone === null && p.details.address === null)).toBe(true);
		expect(detail.timeline.every((e) => e.ip === null)).toBe(true);
		await expectAppError(
			transitionCase(app, network.partyUser, { caseId: seeded.west, transition: 'accept', consent: 'on' }, null),
			'FORBIDDEN'
		);
	});

	test('a tracking link shows its own case only; a wrong or malformed link shows nothing', async ({ app, seeded }) => {
		expect((await getTrackedCase(app.db, seeded.eastToken)).case.status).toBe('submitted');
		await expectAppError(getTrackedCase(app.db, 'A'.repeat(32)), 'NOT_FOUND');
		await expectAppError(getTrackedCase(app.db, "'; drop table cases; --"), 'NOT_FOUND');
	});
});
