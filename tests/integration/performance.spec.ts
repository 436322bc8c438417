import { and, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { hashPassword } from '#server/auth/password.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { listCases, listCasesForExport } from '#server/cases/list-cases.ts';
import { getTrackedCase } from '#server/cases/track-case.ts';
import {
	caseEvents,
	caseParties,
	cases,
	performanceItems,
	performancePlans,
	performanceProofs,
	storedFiles,
	users,
	warningEvents,
	warnings
} from '#server/db/schema.ts';
import { recordOralAgreement } from '#server/documents/record-oral-agreement.ts';
import type { DomainEventMap, DomainEventName } from '#server/events/domain-events.ts';
import { getDashboard } from '#server/insight/get-dashboard.ts';
import { refreshStatistics } from '#server/insight/refresh-statistics.ts';
import { seedPerformance } from '#server/demo/seed-performance.ts';
import { addPerformanceItem } from '#server/performance/add-performance-item.ts';
import { addPerformanceProof } from '#server/performance/add-performance-proof.ts';
import { announcePerformance } from '#server/performance/announce-performance.ts';
import { getCasePerformance } from '#server/performance/get-performance.ts';
import { listReportedItems } from '#server/performance/list-reported-items.ts';
import { movePerformanceItem } from '#server/performance/move-performance-item.ts';
import { readProofFile } from '#server/performance/read-proof-file.ts';
import { removePerformanceItem } from '#server/performance/remove-performance-item.ts';
import { reportPerformanceItem } from '#server/performance/report-performance-item.ts';
import { MAX_PROOFS_PER_ITEM, PROOF_MAX_BYTES } from '#shared/performance.ts';
import type { Actor } from '#shared/roles.ts';
import { intakeForm, type Network } from '../support/case-network.ts';
import { gif, jpeg, pdf, png, windowsProgram } from '../support/evidence-samples.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import { test, type CaseSetUp } from '../support/mediation-case.ts';
import { recordSealedAgreement } from '../support/sealed-agreement.ts';
import { signaturePng } from '../support/signing-samples.ts';

const PASSWORD = 'mediator-password-1';
const SIGNATURE = await signaturePng('赵调解');
const DAY = 86_400_000;
const dayOf = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
const today = () => dayOf(new Date());
const inDays = (days: number) => dayOf(new Date(Date.now() + days * DAY));

const photo = (name = '转账截图.png') => new File([new Uint8Array(png())], name, { type: 'image/png' });
const receipt = (name = '收据.pdf') => new File([new Uint8Array(pdf())], name, { type: 'application/pdf' });

/** The case settled by an oral agreement, registered by the east mediator. */
async function settleOrally(app: App, mediator: Actor, kase: CaseSetUp) {
	await app.db
		.update(users)
		.set({ passwordHash: await hashPassword(PASSWORD) })
		.where(eq(users.id, mediator.id));
	await recordOralAgreement(
		app,
		mediator,
		{
			caseId: kase.caseId,
			partyIds: [kase.applicant.id, kase.respondent.id],
			matter: '排水沟砌墙，雨水倒灌。',
			terms: '一、王建国拆除砌墙；二、王建国赔偿李秀英损失一万二千元。',
			performance: '王建国于本月底前在东村村委会以转账方式支付。',
			reachedOn: today(),
			password: PASSWORD
		},
		SIGNATURE,
		CLIENT
	);
}

/** A payment of 12,000 yuan by the respondent, due in a week, unless told otherwise. */
const payment = (kase: CaseSetUp, fields: Record<string, unknown> = {}) => ({
	caseId: kase.caseId,
	kind: 'payment',
	description: '王建国赔偿李秀英损失',
	amount: '12,000',
	dueOn: inDays(7),
	place: '东村村委会',
	responsiblePartyId: kase.respondent.id,
	...fields
});
const act = (kase: CaseSetUp, fields: Record<string, unknown> = {}) =>
	payment(kase, { kind: 'act', description: '王建国拆除排水沟上的砌墙', amount: '', place: '东村12号屋后', ...fields });

/** The case settled orally, its plan a payment and an act, both by the respondent. */
async function planned(app: App, network: Network, kase: CaseSetUp) {
	const mediator = network.eastMediator;
	await settleOrally(app, mediator, kase);
	const { itemId } = await addPerformanceItem(app, mediator, payment(kase), null);
	const { itemId: actId } = await addPerformanceItem(app, mediator, act(kase), null);
	return { mediator, itemId, actId };
}

/** What the bus told, by event name, while the test ran. */
function heard<E extends DomainEventName>(app: App, event: E): DomainEventMap[E][] {
	const told: DomainEventMap[E][] = [];
	app.events.on(event, (payload) => void told.push(payload));
	return told;
}

async function itemOf(app: App, itemId: string) {
	const [item] = await app.db.select().from(performanceItems).where(eq(performanceItems.id, itemId));
	return item;
}

async function actionsOf(app: App, caseId: string) {
	const rows = await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.seq);
	return rows.filter((row) => row.action.startsWith('performance.')).map((row) => row.action);
}

describe('the performance plan (履行)', () => {
	test('is made once the case has an agreement, by its mediators, each item in cents with its audit event', async ({
		app,
		network,
		kase
	}) => {
		const mediator = network.eastMediator;
		await expectAppError(addPerformanceItem(app, mediator, payment(kase), null), 'INVALID_TRANSITION');
		expect(await app.db.$count(performancePlans)).toBe(0);

		await settleOrally(app, mediator, kase);
		const { itemId } = await addPerformanceItem(app, mediator, payment(kase), CLIENT.ip);
		await addPerformanceItem(app, network.eastMediator2, act(kase), null);

		const [plan] = await app.db.select().from(performancePlans).where(eq(performancePlans.caseId, kase.caseId));
		expect(plan).toMatchObject({ sealedAgreementId: null, createdById: mediator.id, performedAt: null });
		expect(plan.oralAgreementId).not.toBeNull();
		expect(await itemOf(app, itemId)).toMatchObject({
			position: 1,
			kind: 'payment',
			amountCents: 1_200_000,
			state: 'planned',
			responsiblePartyId: kase.respondent.id
		});
		const performance = await getCasePerformance(app.db, kase.caseId);
		expect(performance.agreement).toBe('oral_agreement');
		expect(performance.items.map((item) => [item.number, item.kind, item.responsible.name])).toEqual([
			[1, 'payment', '王建国'],
			[2, 'act', '王建国']
		]);
		const [added] = await app.db
			.select()
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, kase.caseId), eq(caseEvents.action, 'performance.item_added')));
		expect(added).toMatchObject({ actorId: mediator.id, ip: CLIENT.ip });
		expect(added.data).toMatchObject({ itemId, amountCents: 1_200_000, responsible: '王建国' });
	});

	test('follows a sealed agreement too, and refuses bad fields, changing nothing', async ({ app, network, kase }) => {
		const mediator = network.eastMediator;
		const sealed = await recordSealedAgreement(app, network.admin, { caseId: kase.caseId });
		const other = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const [stranger] = await app.db.select().from(caseParties).where(eq(caseParties.caseId, other.caseId));
		await expectAppError(addPerformanceItem(app, mediator, payment(kase, { amount: '' }), null), 'VALIDATION', {
			amount: ['required']
		});
		await expectAppError(addPerformanceItem(app, mediator, payment(kase, { amount: '12.345' }), null), 'VALIDATION', {
			amount: ['invalid']
		});
		await expectAppError(addPerformanceItem(app, mediator, act(kase, { amount: '5' }), null), 'VALIDATION', {
			amount: ['invalid']
		});
		await expectAppError(
			addPerformanceItem(app, mediator, payment(kase, { responsiblePartyId: stranger.id }), null),
			'VALIDATION',
			{ responsiblePartyId: ['invalid'] }
		);
		await expectAppError(
			addPerformanceItem(app, mediator, payment(kase, { dueOn: '2001-01-01' }), null),
			'VALIDATION',
			{
				dueOn: ['invalid']
			}
		);
		await expectAppError(
			addPerformanceItem(app, mediator, payment(kase, { description: '款'.repeat(501) }), null),
			'VALIDATION',
			{ description: ['too_long'] }
		);
		expect(await app.db.$count(performanceItems)).toBe(0);

		await addPerformanceItem(app, mediator, payment(kase), null);
		const [plan] = await app.db.select().from(performancePlans).where(eq(performancePlans.caseId, kase.caseId));
		expect(plan).toMatchObject({ sealedAgreementId: sealed.id, oralAgreementId: null });
	});

	test('is kept only by the case mediators: others are refused or learn nothing', async ({ app, network, kase }) => {
		await settleOrally(app, network.eastMediator, kase);
		// The town committee sees its villages' cases, but does not mediate this one.
		await expectAppError(addPerformanceItem(app, network.townMediator, payment(kase), null), 'FORBIDDEN');
		await expectAppError(addPerformanceItem(app, network.westMediator, payment(kase), null), 'NOT_FOUND');
		await expectAppError(addPerformanceItem(app, network.expert, payment(kase), null), 'FORBIDDEN');
		await expectAppError(addPerformanceItem(app, network.partyUser, payment(kase), null), 'FORBIDDEN');
		await expectAppError(addPerformanceItem(app, network.eastAdmin, payment(kase), null), 'FORBIDDEN');
		expect(await app.db.$count(performanceItems)).toBe(0);

		const { itemId } = await addPerformanceItem(app, network.eastMediator, payment(kase), null);
		const confirm = { caseId: kase.caseId, itemId, move: 'confirm' };
		await expectAppError(movePerformanceItem(app, network.townMediator, confirm, null), 'FORBIDDEN');
		await expectAppError(movePerformanceItem(app, network.westMediator, confirm, null), 'NOT_FOUND');
		await expectAppError(movePerformanceItem(app, network.partyUser, confirm, null), 'FORBIDDEN');
		// A party cannot confirm: the only way a party moves an item is the report.
		await expectAppError(
			movePerformanceItem(app, network.eastMediator, { ...confirm, move: 'report' }, null),
			'VALIDATION'
		);
		await expectAppError(
			addPerformanceProof(app, network.townMediator, { caseId: kase.caseId, itemId }, [photo()], null),
			'FORBIDDEN'
		);
		expect((await itemOf(app, itemId)).state).toBe('planned');
	});

	test('moves as its table allows: reported with proof, sent back with a reason, reported again, confirmed; waived', async ({
		app,
		network,
		kase
	}) => {
		const { mediator, itemId, actId } = await planned(app, network, kase);
		const reports = heard(app, 'performance.item_reported');
		const rejections = heard(app, 'performance.item_rejected');
		const performed = heard(app, 'performance.performed');
		const move = (id: string, name: string, reason?: string) =>
			movePerformanceItem(app, mediator, { caseId: kase.caseId, itemId: id, move: name, reason }, CLIENT.ip);

		await reportPerformanceItem(app, kase.trackingToken, { itemId, note: '已转账' }, [photo()], CLIENT.ip);
		expect(await itemOf(app, itemId)).toMatchObject({
			state: 'reported',
			reportNote: '已转账',
			reportedByPartyId: kase.applicant.id
		});
		expect(reports).toEqual([{ caseId: kase.caseId, itemId, partyId: kase.applicant.id }]);
		// Waiting on the home of the case's mediators, not of another village's.
		expect((await listReportedItems(app.db, network.eastMediator2)).map((item) => item.itemId)).toEqual([itemId]);
		expect(await listReportedItems(app.db, network.westMediator)).toEqual([]);
		await expectAppError(
			reportPerformanceItem(app, kase.trackingToken, { itemId }, [photo()], null),
			'INVALID_TRANSITION'
		);

		await expectAppError(move(itemId, 'reject'), 'VALIDATION', { reason: ['required'] });
		await move(itemId, 'reject', '截图看不清金额');
		expect(await itemOf(app, itemId)).toMatchObject({ state: 'planned', reason: '截图看不清金额' });
		expect(rejections).toEqual([{ caseId: kase.caseId, itemId }]);
		// The party reads why, on their tracking page.
		const seen = (await getCasePerformance(app.db, kase.caseId)).items.find((item) => item.id === itemId)!;
		expect(seen).toMatchObject({ state: 'planned', reason: '截图看不清金额' });
		expect(seen.proofs).toHaveLength(1);

		await reportPerformanceItem(app, kase.trackingToken, { itemId, note: '重新上传' }, [photo('回单.png')], null);
		await move(itemId, 'confirm');
		await expectAppError(move(itemId, 'confirm'), 'INVALID_TRANSITION');
		await expectAppError(move(itemId, 'reject', '误点'), 'INVALID_TRANSITION');
		expect(await itemOf(app, itemId)).toMatchObject({ state: 'confirmed', settledById: mediator.id, reason: null });
		expect(await listReportedItems(app.db, mediator)).toEqual([]);
		expect(performed).toEqual([]);

		await expectAppError(move(actId, 'waive'), 'VALIDATION', { reason: ['required'] });
		await move(actId, 'waive', '双方协商，砌墙由李秀英自行处理');
		expect(await itemOf(app, actId)).toMatchObject({ state: 'waived', settledById: mediator.id });
		expect(performed).toHaveLength(1);
		await expectAppError(move(actId, 'confirm'), 'INVALID_TRANSITION');

		expect(await actionsOf(app, kase.caseId)).toEqual([
			'performance.item_added',
			'performance.item_added',
			'performance.item_reported',
			'performance.item_rejected',
			'performance.item_reported',
			'performance.item_confirmed',
			'performance.item_waived',
			'performance.performed'
		]);
		const [reported] = await app.db
			.select()
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, kase.caseId), eq(caseEvents.action, 'performance.item_reported')));
		expect(reported).toMatchObject({ actorId: null, actorLabel: kase.applicant.name });
	});

	test('is performed (履行完毕) once every item is confirmed or waived: on the case list, the tracking page, the dashboard', async ({
		app,
		network,
		kase
	}) => {
		const mediator = network.eastMediator;
		await settleOrally(app, mediator, kase);
		const first = await addPerformanceItem(app, mediator, payment(kase, { amount: '6000' }), null);
		const second = await addPerformanceItem(app, mediator, payment(kase, { amount: '6000', dueOn: inDays(37) }), null);
		await movePerformanceItem(app, mediator, { caseId: kase.caseId, itemId: first.itemId, move: 'confirm' }, null);
		expect((await getCasePerformance(app.db, kase.caseId)).plan?.performedAt).toBeNull();
		// Paid in the office: confirmed directly, with the receipt the mediator photographed.
		await addPerformanceProof(app, mediator, { caseId: kase.caseId, itemId: second.itemId }, [receipt()], null);
		const { performedAt } = await movePerformanceItem(
			app,
			mediator,
			{ caseId: kase.caseId, itemId: second.itemId, move: 'confirm' },
			null
		);
		expect(performedAt).toBeInstanceOf(Date);
		const performance = await getCasePerformance(app.db, kase.caseId);
		expect(performance.plan?.performedAt).toEqual(performedAt);
		expect(performance.settled).toBe(2);

		const page = await listCases(app.db, mediator, {});
		expect(page.cases.find((row) => row.id === kase.caseId)?.performedAt).toEqual(performedAt);
		const exported = await listCasesForExport(app.db, mediator, {});
		expect(exported.find((row) => row.id === kase.caseId)?.performedAt).toEqual(performedAt);
		expect((await listCases(app.db, mediator, { performed: '1' })).cases.map((row) => row.id)).toEqual([kase.caseId]);
		const tracked = await getTrackedCase(app.db, kase.trackingToken);
		expect(tracked.timeline.map((event) => event.action)).toContain('performance.performed');

		// Another case of the period, resolved but not performed: half the agreements are.
		const other = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		await recordSealedAgreement(app, network.admin, { caseId: other.caseId });
		// Resolved as the last signature would resolve it.
		await app.db
			.update(cases)
			.set({ status: 'resolved', outcome: 'resolved', endedAt: new Date() })
			.where(eq(cases.id, other.caseId));
		await refreshStatistics(app.db);
		const dashboard = await getDashboard(app.db, network.admin, {});
		expect(dashboard.totals).toMatchObject({ resolved: 2, performed: 1, performedShare: 0.5 });
		expect((await getDashboard(app.db, network.westMediator, {})).totals.performed).toBe(0);
	});

	test('takes proof as evidence is taken: photos and PDFs by content, capped in size and number', async ({
		app,
		network,
		kase
	}) => {
		const { mediator, itemId, actId } = await planned(app, network, kase);
		const report = (files: File[], id = itemId, note?: string) =>
			reportPerformanceItem(app, kase.trackingToken, { itemId: id, note }, files, null);

		await expectAppError(report([]), 'VALIDATION', { proof: ['required'] });
		await expectAppError(report([], itemId, '现金已付'), 'VALIDATION', { proof: ['required'] });
		await expectAppError(report([new File([new Uint8Array(gif())], 'a.gif')]), 'VALIDATION', {
			proof: ['file_type']
		});
		await expectAppError(report([new File([new Uint8Array(windowsProgram())], '收据.jpg')]), 'VALIDATION', {
			proof: ['file_type']
		});
		await expectAppError(report([new File(['纯文本'], '说明.txt')]), 'VALIDATION', { proof: ['file_type'] });
		await expectAppError(report([photo(), photo(), photo(), photo()]), 'VALIDATION', { proof: ['too_many'] });
		await expectAppError(report([new File([new Uint8Array(PROOF_MAX_BYTES + 1)], '大.jpg')]), 'PAYLOAD_TOO_LARGE', {
			proof: ['too_large']
		});
		await expectAppError(report([new File([], '空.jpg')]), 'VALIDATION', { proof: ['empty_file'] });
		await expectAppError(report([photo()], itemId, '说'.repeat(501)), 'VALIDATION', { note: ['too_long'] });
		// An unknown link, or an item of another case, finds nothing.
		await expectAppError(reportPerformanceItem(app, 'x'.repeat(30), { itemId }, [photo()], null), 'NOT_FOUND');
		const other = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		await expectAppError(reportPerformanceItem(app, other.trackingToken!, { itemId }, [photo()], null), 'NOT_FOUND');
		expect(await app.db.$count(performanceProofs)).toBe(0);
		expect((await itemOf(app, itemId)).state).toBe('planned');

		// An act may be told in a note alone.
		await report([], actId, '砌墙已拆除');
		expect((await itemOf(app, actId)).state).toBe('reported');

		const jpg = new File([new Uint8Array(jpeg())], '收据.jpg');
		await report([jpg, new File([new Uint8Array(png())], '截图.PNG'), receipt()]);
		const [stored] = await app.db
			.select({ sha256: storedFiles.sha256, mimeType: storedFiles.mimeType })
			.from(performanceProofs)
			.innerJoin(storedFiles, eq(storedFiles.id, performanceProofs.fileId))
			.where(eq(performanceProofs.filename, '收据.jpg'));
		expect(stored.mimeType).toBe('image/jpeg');
		const [proof] = (await getCasePerformance(app.db, kase.caseId)).items.find((item) => item.id === itemId)!.proofs;
		const file = await readProofFile(app.db, kase.caseId, proof.id);
		expect(file?.sha256).toBe(stored.sha256);
		expect(await readProofFile(app.db, other.caseId, proof.id)).toBeNull();
		expect(await readProofFile(app.db, kase.caseId, 'not-a-uuid')).toBeNull();

		// The mediator adds the paper receipts up to the cap per item, then no more.
		await addPerformanceProof(app, mediator, { caseId: kase.caseId, itemId }, [photo(), photo(), photo()], null);
		expect(await app.db.$count(performanceProofs, eq(performanceProofs.itemId, itemId))).toBe(MAX_PROOFS_PER_ITEM);
		await expectAppError(
			addPerformanceProof(app, mediator, { caseId: kase.caseId, itemId }, [photo()], null),
			'VALIDATION',
			{ proof: ['too_many'] }
		);
		await expectAppError(addPerformanceProof(app, mediator, { caseId: kase.caseId, itemId }, [], null), 'VALIDATION', {
			proof: ['required']
		});
	});

	test('warns of an item overdue, once per item and due day, resolved when it is confirmed; tells what falls due', async ({
		app,
		network,
		kase
	}) => {
		const mediator = network.eastMediator;
		await settleOrally(app, mediator, kase);
		const dueSoon = heard(app, 'performance.item_due_soon');
		const overdue = heard(app, 'performance.item_overdue');
		const { itemId } = await addPerformanceItem(app, mediator, payment(kase, { dueOn: inDays(2) }), null);
		const { itemId: laterId } = await addPerformanceItem(app, mediator, act(kase, { dueOn: inDays(30) }), null);
		// Added two days before it falls due: told at once, and only once.
		expect(dueSoon).toEqual([{ caseId: kase.caseId, itemId, dueOn: inDays(2) }]);
		await announcePerformance(app, new Date());
		expect(dueSoon).toHaveLength(1);

		const later = new Date(Date.now() + 4 * DAY);
		expect(await announcePerformance(app, later)).toBe(1);
		expect(await announcePerformance(app, later)).toBe(0);
		expect(overdue).toEqual([{ caseId: kase.caseId, itemId, dueOn: inDays(2) }]);
		const [warning] = await app.db.select().from(warnings).where(eq(warnings.rule, 'performance_overdue'));
		expect(warning).toMatchObject({ caseId: kase.caseId, status: 'open', severity: 'medium' });
		expect(warning.details).toMatchObject({ itemId, party: '王建国', amountCents: 1_200_000, dueOn: inDays(2) });
		expect((await getCasePerformance(app.db, kase.caseId, later)).items.map((item) => [item.id, item.overdue])).toEqual(
			[
				[itemId, true],
				[laterId, false]
			]
		);

		// Reported, it waits for the mediator: not overdue for the party.
		await reportPerformanceItem(app, kase.trackingToken, { itemId }, [photo()], null);
		await movePerformanceItem(app, mediator, { caseId: kase.caseId, itemId, move: 'confirm' }, null);
		const [resolved] = await app.db.select().from(warnings).where(eq(warnings.id, warning.id));
		expect(resolved.status).toBe('resolved');
		const [logged] = await app.db.select().from(warningEvents).where(eq(warningEvents.warningId, warning.id));
		expect(logged).toMatchObject({ actorId: mediator.id, action: 'warning.resolved' });
		expect(await announcePerformance(app, later)).toBe(0);
	});

	test('is reopened by an item added after it was performed, and performed again when that one is', async ({
		app,
		network,
		kase
	}) => {
		const mediator = network.eastMediator;
		await settleOrally(app, mediator, kase);
		const performedAt = async () => (await getCasePerformance(app.db, kase.caseId)).plan?.performedAt;
		const instalment = async () => {
			const { itemId } = await addPerformanceItem(app, mediator, payment(kase, { amount: '6000' }), null);
			expect(await performedAt()).toBeNull();
			await movePerformanceItem(app, mediator, { caseId: kase.caseId, itemId, move: 'confirm' }, null);
			expect(await performedAt()).toBeInstanceOf(Date);
		};
		await instalment();
		await instalment();
		expect(await actionsOf(app, kase.caseId)).toEqual([
			'performance.item_added',
			'performance.item_confirmed',
			'performance.performed',
			'performance.reopened',
			'performance.item_added',
			'performance.item_confirmed',
			'performance.performed'
		]);
	});

	test('lets a mistaken item be removed while nobody has acted on it', async ({ app, network, kase }) => {
		const { mediator, itemId, actId: typo } = await planned(app, network, kase);
		await reportPerformanceItem(app, kase.trackingToken, { itemId }, [photo()], null);
		await expectAppError(
			removePerformanceItem(app, mediator, { caseId: kase.caseId, itemId }, null),
			'INVALID_TRANSITION'
		);
		await expectAppError(
			removePerformanceItem(app, network.townMediator, { caseId: kase.caseId, itemId: typo }, null),
			'FORBIDDEN'
		);
		await movePerformanceItem(app, mediator, { caseId: kase.caseId, itemId, move: 'confirm' }, null);
		const performed = heard(app, 'performance.performed');
		await removePerformanceItem(app, mediator, { caseId: kase.caseId, itemId: typo }, null);
		expect(await app.db.$count(performanceItems)).toBe(1);
		// What remains is all confirmed: the agreement is performed.
		expect(performed).toHaveLength(1);
		const actions = await actionsOf(app, kase.caseId);
		expect(actions.slice(-2)).toEqual(['performance.item_removed', 'performance.performed']);
	});

	test('is what the demo helper fills for a demo case: reported with a receipt photo, confirmed, performed', async ({
		app,
		network,
		kase
	}) => {
		await settleOrally(app, network.eastMediator, kase);
		await seedPerformance(app, kase.caseId, network.eastMediator, [
			{
				kind: 'payment',
				description: '赔偿损失',
				amount: '150',
				dueInDays: 0,
				place: '村委会',
				responsible: '王建国',
				done: 'confirmed'
			},
			{
				kind: 'act',
				description: '拆除砌墙',
				dueInDays: 3,
				place: '屋后',
				responsible: '王建国',
				done: 'confirmed_in_office'
			}
		]);
		const performance = await getCasePerformance(app.db, kase.caseId);
		expect(performance.plan?.performedAt).not.toBeNull();
		expect(performance.items.map((item) => [item.state, item.proofs.map((proof) => proof.mimeType)])).toEqual([
			['confirmed', ['image/jpeg']],
			['confirmed', []]
		]);
	});
});
