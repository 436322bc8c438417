import { and, count, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { issuePartyLink } from '#server/cases/issue-party-link.ts';
import { getTrackedCase } from '#server/cases/track-case.ts';
import { withdrawApplication } from '#server/cases/withdraw-application.ts';
import { registerCase } from '#server/cases/register-case.ts';
import { reportDispute } from '#server/cases/report-dispute.ts';
import { caseEvents, caseEvidence, caseParties, cases } from '#server/db/schema.ts';
import type { App } from '#server/app.ts';
import { intakeForm, setUpNetwork } from '../support/case-network.ts';
import { CLIENT, expectAppError, test as base } from '../support/integration-test.ts';

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

const png = () =>
	new File(
		[
			Buffer.from(
				'89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
					'1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082',
				'hex'
			)
		],
		'现场照片.png'
	);

async function countOf(app: App, table: typeof cases | typeof caseParties | typeof caseEvidence | typeof caseEvents) {
	const [row] = await app.db.select({ n: count() }).from(table);
	return row.n;
}

async function caseOf(app: App, caseId: string) {
	const [row] = await app.db.select().from(cases).where(eq(cases.id, caseId));
	return row;
}

describe('online application', () => {
	test('goes to the committee of its village, numbered per town and year, with a tracking link', async ({
		app,
		network
	}) => {
		const first = await applyOnline(app, intakeForm(network.nodes.east.id), [png()], CLIENT.ip);
		const second = await applyOnline(app, intakeForm(network.nodes.west.id), [], CLIENT.ip);

		const year = new Date().getFullYear();
		expect(first.number).toBe(`${year}-QSZ-000001`);
		expect(second.number).toBe(`${year}-QSZ-000002`);
		expect(first.trackingToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
		const row = await caseOf(app, first.caseId);
		expect(row).toMatchObject({
			channel: 'online',
			status: 'submitted',
			committeeId: network.committees.east.id,
			villageId: network.nodes.east.id,
			amountCents: 120050,
			reporterId: null
		});
		expect((await caseOf(app, second.caseId)).committeeId).toBe(network.committees.west.id);

		const tracked = await getTrackedCase(app.db, first.trackingToken!);
		expect(tracked).toMatchObject({
			partyName: '李秀英',
			side: 'applicant',
			case: { number: first.number, status: 'submitted' }
		});
		expect(tracked.evidence).toHaveLength(1);
		expect(tracked.evidence[0]).toMatchObject({
			filename: '现场照片.png',
			mimeType: 'image/png',
			uploaderLabel: '李秀英'
		});
		expect(tracked.timeline.map((e) => e.action)).toEqual(['case.submitted', 'evidence.added']);
		expect(await verifyCaseChain(app.db, first.caseId)).toEqual({ intact: true, events: 2 });
	});

	test('a place without a committee goes to the nearest one above it', async ({ app, network }) => {
		const group = await applyOnline(app, intakeForm(network.nodes.eastGroup.id), [], null);
		const south = await applyOnline(app, intakeForm(network.nodes.south.id), [], null);

		expect((await caseOf(app, group.caseId)).committeeId).toBe(network.committees.east.id);
		expect((await caseOf(app, south.caseId)).committeeId).toBe(network.committees.town.id);
	});

	test('reports every bad field at once and writes nothing', async ({ app, network }) => {
		const error = await expectAppError(
			applyOnline(
				app,
				{
					disputeType: 'murder',
					facts: '太短',
					claims: '',
					amount: '-5',
					villageId: network.nodes.roster.id,
					applicant: { name: '', phone: '' },
					respondents: [{ name: 'x'.repeat(101) }]
				},
				[],
				null
			),
			'VALIDATION'
		);
		expect(error.fields).toEqual({
			disputeType: ['invalid'],
			facts: ['too_short'],
			claims: ['required'],
			amount: ['invalid'],
			'applicant.name': ['required'],
			'applicant.phone': ['required'],
			'respondents.0.name': ['too_long']
		});
		// An unchosen select is a missing answer, not a wrong one.
		await expectAppError(
			applyOnline(app, intakeForm(network.nodes.east.id, { disputeType: '' }), [], null),
			'VALIDATION',
			{
				disputeType: ['required']
			}
		);
		// A well-formed id of a node where no dispute can arise (an expert roster) is refused too.
		await expectAppError(applyOnline(app, intakeForm(network.nodes.roster.id), [], null), 'VALIDATION', {
			villageId: ['invalid']
		});
		expect(await countOf(app, cases)).toBe(0);
		expect(await countOf(app, caseParties)).toBe(0);
	});

	test('a forbidden file type refuses the whole application, together with the form errors', async ({
		app,
		network
	}) => {
		const exe = new File([Buffer.from('4d5a90000300000004000000ffff0000', 'hex')], '合同.pdf');

		await expectAppError(applyOnline(app, intakeForm(network.nodes.east.id), [png(), exe], null), 'VALIDATION', {
			evidence: ['file_type']
		});
		await expectAppError(
			applyOnline(app, intakeForm(network.nodes.east.id, { facts: '' }), [exe], null),
			'VALIDATION',
			{ facts: ['required'], evidence: ['file_type'] }
		);
		expect(await countOf(app, cases)).toBe(0);
		expect(await countOf(app, caseEvidence)).toBe(0);
	});

	test('an oversized file is refused with 413 and writes nothing', async ({ app, network }) => {
		const big = new File([new Uint8Array(20 * 1024 * 1024 + 1)], 'big.pdf');

		const error = await expectAppError(
			applyOnline(app, intakeForm(network.nodes.east.id), [big], null),
			'PAYLOAD_TOO_LARGE',
			{
				evidence: ['too_large']
			}
		);
		expect(error.status).toBe(413);
		expect(await countOf(app, cases)).toBe(0);
	});

	test('a failure after the case row was written rolls everything back', async ({ app, network }) => {
		// Two respondents with one tracking-token hash cannot both be stored: the unique index fails late in the transaction.
		await app.db.execute(`create function fail_second_party() returns trigger language plpgsql as $$
			begin if (select count(*) from case_parties where case_id = new.case_id) >= 1 then raise exception 'boom'; end if; return new; end $$`);
		await app.db.execute(
			'create trigger fail_second_party before insert on case_parties for each row execute function fail_second_party()'
		);

		await expect(applyOnline(app, intakeForm(network.nodes.east.id), [png()], null)).rejects.toThrow();
		expect(await countOf(app, cases)).toBe(0);
		expect(await countOf(app, caseEvents)).toBe(0);
		expect(await countOf(app, caseEvidence)).toBe(0);
	});
});

describe('other intake channels', () => {
	test('a grid worker reports a dispute and follows it', async ({ app, network }) => {
		// 西村's grid worker: a grid worker reports disputes of their own grid only (user-scope.spec.ts).
		const { caseId } = await reportDispute(app, network.gridWorker2, intakeForm(network.nodes.west.id), [], CLIENT.ip);

		expect(await caseOf(app, caseId)).toMatchObject({
			channel: 'grid_report',
			reporterId: network.gridWorker2.id,
			committeeId: network.committees.west.id
		});
		await expectAppError(
			reportDispute(app, network.eastMediator, intakeForm(network.nodes.west.id), [], null),
			'FORBIDDEN'
		);
	});

	test('a walk-in stays with the mediator’s committee; a referral goes to the village’s, noting who referred it', async ({
		app,
		network
	}) => {
		const walkIn = await registerCase(
			app,
			network.eastMediator,
			{ ...intakeForm(network.nodes.west.id), channel: 'walk_in' },
			[],
			null
		);
		const referral = await registerCase(
			app,
			network.eastMediator,
			{ ...intakeForm(network.nodes.west.id), channel: 'referral' },
			[],
			null
		);

		expect(await caseOf(app, walkIn.caseId)).toMatchObject({
			channel: 'walk_in',
			committeeId: network.committees.east.id,
			registeredById: network.eastMediator.id
		});
		expect(await caseOf(app, referral.caseId)).toMatchObject({
			channel: 'referral',
			committeeId: network.committees.west.id,
			referredFromCommitteeId: network.committees.east.id
		});
		expect(walkIn.trackingToken).toBeNull();
		await expectAppError(
			registerCase(app, network.eastMediator, { ...intakeForm(network.nodes.west.id), channel: 'online' }, [], null),
			'VALIDATION',
			{ channel: ['invalid'] }
		);
		await expectAppError(
			registerCase(app, network.gridWorker, { ...intakeForm(network.nodes.west.id), channel: 'walk_in' }, [], null),
			'FORBIDDEN'
		);
	});
});

describe('the applicant’s tracking link', () => {
	test('withdraws the application with a reason; a respondent’s link cannot, nor can anyone twice', async ({
		app,
		network
	}) => {
		const { caseId, trackingToken } = await applyOnline(app, intakeForm(network.nodes.east.id), [], CLIENT.ip);
		const respondentToken = await issuePartyLink(
			app,
			network.eastMediator,
			{ caseId, partyId: await respondentOf(app, caseId) },
			null
		);

		await expectAppError(withdrawApplication(app, trackingToken!, { reason: '' }, null), 'VALIDATION', {
			reason: ['required']
		});
		await expectAppError(withdrawApplication(app, respondentToken, { reason: '不想调了' }, null), 'FORBIDDEN');
		await withdrawApplication(app, trackingToken!, { reason: '双方已自行和解' }, CLIENT.ip);

		expect((await caseOf(app, caseId)).status).toBe('withdrawn');
		await expectAppError(withdrawApplication(app, trackingToken!, { reason: '再撤一次' }, null), 'INVALID_TRANSITION');
		const tracked = await getTrackedCase(app.db, trackingToken!);
		expect(tracked.timeline.map((e) => [e.action, e.actorName])).toEqual([
			['case.submitted', '李秀英'],
			['case.withdraw', '李秀英']
		]);
		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: true, events: 3 });
	});

	test('a new link replaces the old one', async ({ app, network }) => {
		const { caseId, trackingToken } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const [applicant] = await app.db
			.select()
			.from(caseParties)
			.where(eq(caseParties.caseId, caseId))
			.orderBy(caseParties.createdAt);

		const fresh = await issuePartyLink(app, network.eastMediator, { caseId, partyId: applicant.id }, null);

		await expectAppError(getTrackedCase(app.db, trackingToken!), 'NOT_FOUND');
		expect((await getTrackedCase(app.db, fresh)).partyName).toBe('李秀英');
		await expectAppError(
			issuePartyLink(app, network.westMediator, { caseId, partyId: applicant.id }, null),
			'NOT_FOUND'
		);
	});
});

async function respondentOf(app: App, caseId: string): Promise<string> {
	const [row] = await app.db
		.select({ id: caseParties.id })
		.from(caseParties)
		.where(and(eq(caseParties.caseId, caseId), eq(caseParties.side, 'respondent')));
	return row.id;
}
