import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { hashPassword } from '#server/auth/password.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { caseEvents, cases, oralAgreements, sealedDocuments, users } from '#server/db/schema.ts';
import { recordOralAgreement } from '#server/documents/record-oral-agreement.ts';
import { getDashboard } from '#server/insight/get-dashboard.ts';
import { getMonthlyReport } from '#server/insight/monthly-report.ts';
import { monthOf } from '#server/insight/period.ts';
import { refreshStatistics } from '#server/insight/refresh-statistics.ts';
import { verifyDocumentId } from '#server/signing/verification/verify-sealed-document.ts';
import { intakeForm } from '../support/case-network.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import { test, type CaseSetUp } from '../support/mediation-case.ts';
import { pdfsig, pdftotext } from '../support/poppler.ts';
import { signaturePng } from '../support/signing-samples.ts';

const PASSWORD = 'mediator-password-1';
const SIGNATURE = await signaturePng('赵调解');
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

const agreement = (kase: CaseSetUp, fields: Record<string, unknown> = {}) => ({
	caseId: kase.caseId,
	partyIds: [kase.applicant.id, kase.respondent.id],
	matter: '王建国在两家之间的排水沟上砌墙，雨水倒灌李秀英家院子。',
	terms: '王建国自行拆除排水沟上的砌墙，恢复排水沟原状；李秀英不再要求赔偿。',
	performance: '王建国于2026年12月20日前在东村12号屋后自行拆除，费用自理。',
	reachedOn: today(),
	password: PASSWORD,
	...fields
});

async function withPassword(app: App, userId: string) {
	await app.db
		.update(users)
		.set({ passwordHash: await hashPassword(PASSWORD) })
		.where(eq(users.id, userId));
}

/** What an oral agreement changes: the case, its documents, its registered agreements and its audit log. */
async function footprint(app: App, caseId: string) {
	const [kase] = await app.db
		.select({ status: cases.status, outcome: cases.outcome })
		.from(cases)
		.where(eq(cases.id, caseId));
	return {
		kase,
		documents: await app.db.$count(sealedDocuments, eq(sealedDocuments.caseId, caseId)),
		agreements: await app.db.$count(oralAgreements, eq(oralAgreements.caseId, caseId)),
		events: (await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId))).map((e) => e.action)
	};
}

describe('an oral agreement (口头协议)', () => {
	test('resolves the case with the oral outcome and seals its register, signed by the mediator', async ({
		app,
		network,
		kase
	}) => {
		await withPassword(app, network.eastMediator.id);
		const { documentId } = await recordOralAgreement(app, network.eastMediator, agreement(kase), SIGNATURE, CLIENT);

		const [row] = await app.db.select().from(cases).where(eq(cases.id, kase.caseId));
		expect(row).toMatchObject({ status: 'resolved', outcome: 'resolved_orally' });
		expect(row.endedAt).not.toBeNull();
		const [registered] = await app.db.select().from(oralAgreements).where(eq(oralAgreements.caseId, kase.caseId));
		expect(registered).toMatchObject({
			documentId,
			mediatorId: network.eastMediator.id,
			partyIds: [kase.applicant.id, kase.respondent.id],
			reachedOn: today()
		});

		const [document] = await app.db.select().from(sealedDocuments).where(eq(sealedDocuments.id, documentId));
		expect(document.kind).toBe('oral_agreement');
		const pdf = new Uint8Array(document.pdf);
		const text = (await pdftotext(pdf)).replace(/\s+/g, '');
		for (const expected of [
			'口头调解协议登记表',
			row.number,
			'李秀英',
			'王建国',
			'纠纷事项',
			'排水沟上砌墙',
			'协议内容',
			'恢复排水沟原状',
			'履行方式、时限、地点',
			'2026年12月20日前在东村12号屋后自行拆除',
			'人民调解员（签名）',
			network.eastMediator.displayName,
			'东村人民调解委员会'
		])
			expect(text).toContain(expected);
		expect(await pdfsig(pdf)).toMatch(/Signature Validation: Signature is Valid/);
		expect(await verifyDocumentId(app.db, { document: documentId })).toMatchObject({
			status: 'authentic',
			kind: 'oral_agreement'
		});

		const actions = (await footprint(app, kase.caseId)).events;
		// Taking effect, it sets the agreement's first follow-up visit.
		expect(actions.slice(-3)).toEqual(['document.sealed', 'case.resolve_orally', 'follow_up.scheduled']);
	});

	test('is refused with a wrong password, recorded, and nothing else changes', async ({ app, network, kase }) => {
		await withPassword(app, network.eastMediator.id);
		const before = await footprint(app, kase.caseId);
		await expectAppError(
			recordOralAgreement(app, network.eastMediator, agreement(kase, { password: 'wrong' }), SIGNATURE, CLIENT),
			'INVALID_CREDENTIALS',
			{ secret: ['wrong'] }
		);
		const after = await footprint(app, kase.caseId);
		expect(after).toEqual({ ...before, events: [...before.events, 'oral_agreement.sign_refused'] });
	});

	test('is refused with fields missing, too long or out of range, and a case-less party, changing nothing', async ({
		app,
		network,
		kase
	}) => {
		await withPassword(app, network.eastMediator.id);
		const before = await footprint(app, kase.caseId);
		await expectAppError(
			recordOralAgreement(
				app,
				network.eastMediator,
				{ caseId: kase.caseId, partyIds: [], matter: ' ', terms: '好'.repeat(3001), reachedOn: '' },
				SIGNATURE,
				CLIENT
			),
			'VALIDATION',
			{
				partyIds: ['required'],
				matter: ['required'],
				terms: ['too_long'],
				performance: ['required'],
				reachedOn: ['required'],
				password: ['required']
			}
		);
		await expectAppError(
			recordOralAgreement(app, network.eastMediator, agreement(kase, { reachedOn: '2099-01-01' }), SIGNATURE, CLIENT),
			'VALIDATION',
			{ reachedOn: ['invalid'] }
		);
		const other = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const [stranger] = await app.db.select().from(oralAgreements).where(eq(oralAgreements.caseId, other.caseId));
		expect(stranger).toBeUndefined();
		await expectAppError(
			recordOralAgreement(
				app,
				network.eastMediator,
				agreement(kase, { partyIds: [kase.applicant.id, other.caseId] }),
				SIGNATURE,
				CLIENT
			),
			'VALIDATION',
			{ partyIds: ['invalid'] }
		);
		await expectAppError(
			recordOralAgreement(app, network.eastMediator, agreement(kase), new Uint8Array([1, 2, 3]), CLIENT),
			'VALIDATION',
			{ signature: ['invalid'] }
		);
		expect(await footprint(app, kase.caseId)).toEqual(before);
	});

	test('is refused to anyone but the case’s mediators, and once the case is past mediation', async ({
		app,
		network,
		kase
	}) => {
		await withPassword(app, network.eastMediator.id);
		await withPassword(app, network.townMediator.id);
		const before = await footprint(app, kase.caseId);
		// The town's mediator sees 东村's cases but does not mediate this one.
		await expectAppError(
			recordOralAgreement(app, network.townMediator, agreement(kase), SIGNATURE, CLIENT),
			'FORBIDDEN'
		);
		await expectAppError(
			recordOralAgreement(app, network.westMediator, agreement(kase), SIGNATURE, CLIENT),
			'NOT_FOUND'
		);
		await expectAppError(recordOralAgreement(app, network.expert, agreement(kase), SIGNATURE, CLIENT), 'FORBIDDEN');
		await expectAppError(recordOralAgreement(app, network.partyUser, agreement(kase), SIGNATURE, CLIENT), 'FORBIDDEN');
		expect(await footprint(app, kase.caseId)).toEqual(before);

		await recordOralAgreement(app, network.eastMediator, agreement(kase), SIGNATURE, CLIENT);
		await expectAppError(
			recordOralAgreement(app, network.eastMediator, agreement(kase), SIGNATURE, CLIENT),
			'INVALID_TRANSITION'
		);
		expect(await app.db.$count(oralAgreements, eq(oralAgreements.caseId, kase.caseId))).toBe(1);
	});

	test('is counted by the dashboard and the monthly report among the successful mediations', async ({
		app,
		network,
		kase
	}) => {
		await withPassword(app, network.eastMediator.id);
		await recordOralAgreement(app, network.eastMediator, agreement(kase), SIGNATURE, CLIENT);
		const now = new Date();
		await refreshStatistics(app.db, now);
		const month = monthOf(now);

		const dashboard = await getDashboard(app.db, network.admin, { from: month, to: month }, now);
		expect(dashboard.totals).toMatchObject({ cases: 1, resolved: 1, oralAgreements: 1, failed: 0, successRate: 1 });
		expect(dashboard.byOutcome).toEqual([{ key: 'resolved_orally', cases: 1 }]);
		expect(dashboard.byMonth.at(-1)).toMatchObject({ cases: 1, resolved: 1 });

		const report = await getMonthlyReport(app.db, network.admin, { month }, now);
		expect(report.dashboard.totals).toMatchObject({ resolved: 1, oralAgreements: 1 });
		expect(report.assessment.committees.find((row) => row.handled > 0)).toMatchObject({ resolved: 1, successRate: 1 });
	});
});
