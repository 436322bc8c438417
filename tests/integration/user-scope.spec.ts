import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { reportDispute } from '#server/cases/report-dispute.ts';
import {
	caseExperts,
	caseMediators,
	caseParties,
	cases,
	committeeMembers,
	orgNodes,
	users
} from '#server/db/schema.ts';
import { listDisputePlaces } from '#server/orgs/list-dispute-places.ts';
import { resetPassword } from '#server/users/reset-password.ts';
import { setUserActive } from '#server/users/set-user-active.ts';
import { updateUser } from '#server/users/update-user.ts';
import type { Actor } from '#shared/roles.ts';
import { intakeForm, setUpNetwork, type Network } from '../support/case-network.ts';
import { expectAppError, test as base } from '../support/integration-test.ts';

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

/** Every action an admin takes on a user, each refused with `code` and changing nothing. */
async function expectEveryActionRefused(app: App, admin: Actor, user: Actor, code: 'BEYOND_SCOPE' | 'NOT_FOUND') {
	const [before] = await app.db.select().from(users).where(eq(users.id, user.id));
	await expectAppError(resetPassword(app, admin, { userId: user.id }), code);
	await expectAppError(setUserActive(app, admin, { userId: user.id }, false), code);
	await expectAppError(updateUser(app, admin, { userId: user.id, role: user.role, orgNodeId: user.orgNodeId }), code);
	const [after] = await app.db.select().from(users).where(eq(users.id, user.id));
	expect(after).toEqual(before);
}

async function westCase(app: App, network: Network): Promise<string> {
	return (await applyOnline(app, intakeForm(network.nodes.west.id), [], null)).caseId;
}

describe('an admin acts only on users who reach nothing beyond the admin subtree', () => {
	test('a user at home in the village but on the town committee is the town admin’s', async ({ app, network }) => {
		await app.db
			.insert(committeeMembers)
			.values({ committeeId: network.committees.town.id, userId: network.eastMediator.id });

		await expectEveryActionRefused(app, network.eastAdmin, network.eastMediator, 'BEYOND_SCOPE');
		expect(await resetPassword(app, network.admin, { userId: network.eastMediator.id })).toMatchObject({
			username: network.eastMediator.username
		});
	});

	test('a party of another village’s case is out of the village admin’s reach', async ({ app, network }) => {
		const caseId = await westCase(app, network);
		await app.db.update(caseParties).set({ userId: network.partyUser.id }).where(eq(caseParties.caseId, caseId));

		await expectEveryActionRefused(app, network.eastAdmin, network.partyUser, 'BEYOND_SCOPE');
	});

	test('a mediator assigned to, or an expert invited to, a case elsewhere is too', async ({ app, network }) => {
		const caseId = await westCase(app, network);
		await app.db.insert(caseMediators).values({ caseId, userId: network.eastMediator2.id });
		await expectEveryActionRefused(app, network.eastAdmin, network.eastMediator2, 'BEYOND_SCOPE');

		await app.db.update(users).set({ orgNodeId: network.nodes.east.id }).where(eq(users.id, network.expert.id));
		await app.db.insert(caseExperts).values({ caseId, userId: network.expert.id, invitedById: network.admin.id });
		const expert = { ...network.expert, orgNodeId: network.nodes.east.id };
		await expectEveryActionRefused(app, network.eastAdmin, expert, 'BEYOND_SCOPE');
	});

	test('a grid worker whose report went to the town is the town admin’s', async ({ app, network }) => {
		const { caseId } = await reportDispute(app, network.gridWorker, intakeForm(network.nodes.east.id), [], null);
		// The case was escalated to the town: what its reporter follows now lies above the village.
		const [town] = await app.db.select().from(orgNodes).where(eq(orgNodes.id, network.nodes.townId));
		await app.db
			.update(cases)
			.set({ committeeId: network.committees.town.id, committeePath: town.path })
			.where(eq(cases.id, caseId));

		await expectEveryActionRefused(app, network.eastAdmin, network.gridWorker, 'BEYOND_SCOPE');
	});

	test('a user whose committee and cases all lie in the village is the village admin’s', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.eastGroup.id), [], null);
		await app.db.insert(caseMediators).values({ caseId, userId: network.eastMediator.id });
		await app.db.update(caseParties).set({ userId: network.partyUser.id }).where(eq(caseParties.caseId, caseId));

		await resetPassword(app, network.eastAdmin, { userId: network.eastMediator.id });
		await resetPassword(app, network.eastAdmin, { userId: network.partyUser.id });
		await setUserActive(app, network.eastAdmin, { userId: network.partyUser.id }, false);
	});

	test('a user at home elsewhere stays NOT_FOUND', async ({ app, network }) => {
		await expectEveryActionRefused(app, network.eastAdmin, network.westMediator, 'NOT_FOUND');
	});
});

describe('a grid worker reports disputes of their grid', () => {
	test('the report form offers the places of the grid only', async ({ app, network }) => {
		const places = await listDisputePlaces(app.db, network.nodes.east.path);
		expect(places.map((place) => place.name)).toEqual(['东村', '东村一组']);
		const group = await listDisputePlaces(app.db, network.nodes.eastGroup.path);
		expect(group).toEqual([{ id: network.nodes.eastGroup.id, name: '东村一组', kind: 'group', villageName: '东村' }]);
	});

	test('inside the grid (their village and its groups) the report is taken', async ({ app, network }) => {
		const { caseId } = await reportDispute(app, network.gridWorker, intakeForm(network.nodes.eastGroup.id), [], null);
		const [row] = await app.db.select().from(cases).where(eq(cases.id, caseId));
		expect(row).toMatchObject({ channel: 'grid_report', reporterId: network.gridWorker.id });
	});

	test('a place outside the grid is refused on the place field and nothing is written', async ({ app, network }) => {
		await expectAppError(
			reportDispute(app, network.gridWorker, intakeForm(network.nodes.west.id), [], null),
			'VALIDATION',
			{ villageId: ['outside_grid'] }
		);
		expect(await app.db.select().from(cases)).toEqual([]);
	});
});
