import { and, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { Db } from '#server/db/client.ts';
import { caseEvents, cases, judicialApplications, sealedDocuments, warnings } from '#server/db/schema.ts';
import { bindCaseFile } from '#server/dossier/bind-case-file.ts';
import { caseJudicial, trackedJudicial } from '#server/judicial/get-judicial-view.ts';
import { raiseJudicialDeadlineWarnings } from '#server/judicial/judicial-deadline-warnings.ts';
import { recordCourtAnswer } from '#server/judicial/record-court-answer.ts';
import { signJudicialApplication } from '#server/judicial/sign-judicial-application.ts';
import { startJudicialApplication } from '#server/judicial/start-judicial-application.ts';
import { verifyDocumentId } from '#server/signing/verification/verify-sealed-document.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import { pdf as evidencePdf } from '../support/evidence-samples.ts';
import { dayOf, PARTY_PASSWORD, setUpJudicial, signing } from '../support/judicial.ts';
import { actionsOf, test, wrongPin } from '../support/mediation-case.ts';
import { pdfinfoPages, pdfsig, pdftotext } from '../support/poppler.ts';
import { signaturePng } from '../support/signing-samples.ts';

const SIGNATURE = await signaturePng('李秀英');
/** Sealed at 23:30 in Shanghai, 15:30 UTC: the days are Shanghai's. */
const SEALED_AT = new Date('2026-11-01T15:30:00Z');

const preparedAt = async (app: { db: Db }, caseId: string) => {
	const [row] = await app.db.select().from(judicialApplications).where(eq(judicialApplications.caseId, caseId));
	return row.startedAt.toISOString();
};

describe('judicial confirmation (司法确认)', () => {
	test('the 30-day clock: prepared and signed up to day 30, warned from day 20, refused on day 31', async ({
		app,
		network,
		kase
	}) => {
		const judicial = await setUpJudicial(app, network, kase, { sealedAt: SEALED_AT });
		const mediator = network.eastMediator;
		const start = (day: number) =>
			startJudicialApplication(
				app,
				mediator,
				{ caseId: kase.caseId, courtId: judicial.courtId },
				null,
				dayOf(SEALED_AT, day)
			);

		const day19 = await caseJudicial(
			app.db,
			mediator,
			{ id: kase.caseId, committeePath: await committeePathOf(app.db, kase.caseId) },
			dayOf(SEALED_AT, 19)
		);
		expect(day19?.clock).toMatchObject({ day: 19, daysLeft: 11, state: 'open', effectiveOn: '2026-11-01' });
		expect(day19?.mayPrepare).toBe(true);
		await start(19);
		expect(await raiseJudicialDeadlineWarnings(app.db, dayOf(SEALED_AT, 19))).toBe(0);

		// Day 20: the warning, once.
		expect(await raiseJudicialDeadlineWarnings(app.db, dayOf(SEALED_AT, 20))).toBe(1);
		expect(await raiseJudicialDeadlineWarnings(app.db, dayOf(SEALED_AT, 25))).toBe(0);
		const [warning] = await app.db.select().from(warnings).where(eq(warnings.rule, 'judicial_deadline_near'));
		expect(warning).toMatchObject({ caseId: kase.caseId, severity: 'medium', status: 'open' });

		// Day 30 is the last day: still prepared again and signed.
		await start(30);
		const prepared = await preparedAt(app, kase.caseId);
		await signJudicialApplication(
			app,
			judicial.applicantToken,
			signing(prepared, PARTY_PASSWORD),
			SIGNATURE,
			CLIENT,
			dayOf(SEALED_AT, 30)
		);

		// Day 31: nothing more; the respondent's signature and the sealing are refused with it.
		await expectAppError(start(31), 'CONFLICT', { judicial: ['window_closed'] });
		await expectAppError(
			signJudicialApplication(
				app,
				judicial.respondentToken,
				signing(prepared, judicial.respondentPin),
				SIGNATURE,
				CLIENT,
				dayOf(SEALED_AT, 31)
			),
			'CONFLICT',
			{ judicial: ['window_closed'] }
		);
		const day31 = await trackedJudicial(app.db, { id: kase.respondent.id, caseId: kase.caseId }, dayOf(SEALED_AT, 31));
		expect(day31?.clock).toMatchObject({ day: 31, state: 'closed' });
		expect(await app.db.$count(sealedDocuments, eq(sealedDocuments.kind, 'judicial_confirmation'))).toBe(0);
		expect(await raiseJudicialDeadlineWarnings(app.db, dayOf(SEALED_AT, 31))).toBe(0);
	});

	test('flags the clauses a court will not confirm, and records the mediator\u2019s decision on each', async ({
		app,
		network,
		kase
	}) => {
		const judicial = await setUpJudicial(app, network, kase, {
			sealedAt: new Date(),
			clauses: [
				'双方自愿离婚，到民政部门办理离婚登记。',
				'王建国每月向其母亲支付赡养费800元。',
				'争议宅基地的使用权归李秀英。'
			]
		});
		const mediator = network.eastMediator;
		const view = await caseJudicial(app.db, mediator, {
			id: kase.caseId,
			committeePath: await committeePathOf(app.db, kase.caseId)
		});
		expect(view?.flagged.map((clause) => [clause.text, clause.flags])).toEqual([
			['双方自愿离婚，到民政部门办理离婚登记。', ['marriage']],
			['争议宅基地的使用权归李秀英。', ['title']]
		]);
		const [divorce, land] = view!.flagged.map((clause) => `l${clause.line}`);
		const form = { caseId: kase.caseId, courtId: judicial.courtId };

		await expectAppError(startJudicialApplication(app, mediator, form, null), 'VALIDATION', {
			[`decisions.${divorce}`]: ['undecided'],
			[`decisions.${land}`]: ['undecided']
		});
		await expectAppError(
			startJudicialApplication(app, mediator, { ...form, decisions: { [divorce]: 'exclude', [land]: 'keep' } }, null),
			'VALIDATION',
			{ [`reasons.${land}`]: ['required'] }
		);
		expect(await app.db.$count(judicialApplications)).toBe(0);

		await startJudicialApplication(
			app,
			mediator,
			{
				...form,
				decisions: { [divorce]: 'exclude', [land]: 'keep' },
				reasons: { [land]: '村委会已出具宅基地使用证明，仅确认补偿款部分。' }
			},
			CLIENT.ip
		);
		const decided = (await actionsOf(app, kase.caseId)).filter((event) => event.action === 'judicial.clause_decided');
		expect(decided.map((event) => event.data)).toMatchObject([
			{ clause: '双方自愿离婚，到民政部门办理离婚登记。', flags: ['marriage'], decision: 'exclude', reason: null },
			{
				clause: '争议宅基地的使用权归李秀英。',
				flags: ['title'],
				decision: 'keep',
				reason: '村委会已出具宅基地使用证明，仅确认补偿款部分。'
			}
		]);
		expect(decided.every((event) => event.actorId === mediator.id)).toBe(true);

		// Only its mediators prepare it; a mediator of another committee does not even see the case.
		await expectAppError(startJudicialApplication(app, network.admin, form, null), 'FORBIDDEN');
		await expectAppError(startJudicialApplication(app, network.westMediator, form, null), 'NOT_FOUND');
		// A court nowhere above the committee is refused.
		await expectAppError(
			startJudicialApplication(app, mediator, { ...form, courtId: crypto.randomUUID() }, null),
			'VALIDATION',
			{ courtId: ['invalid'] }
		);
	});

	test('who may sign: each party on their own link with their own proof, once, what they read', async ({
		app,
		network,
		kase
	}) => {
		const judicial = await setUpJudicial(app, network, kase, { sealedAt: new Date() });
		const mediator = network.eastMediator;
		const form = { caseId: kase.caseId, courtId: judicial.courtId };
		// Nothing to sign before the mediator prepares it.
		await expectAppError(
			signJudicialApplication(
				app,
				judicial.applicantToken,
				signing(new Date().toISOString(), PARTY_PASSWORD),
				SIGNATURE,
				CLIENT
			),
			'CONFLICT',
			{ judicial: ['required'] }
		);
		await startJudicialApplication(app, mediator, form, null);
		const prepared = await preparedAt(app, kase.caseId);

		// The respondent's PIN is his; the applicant's password hers.
		await expectAppError(
			signJudicialApplication(
				app,
				judicial.respondentToken,
				signing(prepared, wrongPin(judicial.respondentPin)),
				SIGNATURE,
				CLIENT
			),
			'INVALID_CREDENTIALS',
			{ secret: ['wrong'] }
		);
		await expectAppError(
			signJudicialApplication(
				app,
				judicial.applicantToken,
				signing(prepared, judicial.respondentPin),
				SIGNATURE,
				CLIENT
			),
			'INVALID_CREDENTIALS'
		);
		const refused = (await actionsOf(app, kase.caseId)).filter((event) => event.action === 'judicial.sign_refused');
		expect(refused).toHaveLength(2);
		// An unknown link, a bad phone, no confirmation, no drawn signature: refused, nothing kept.
		await expectAppError(
			signJudicialApplication(app, 'x'.repeat(32), signing(prepared, PARTY_PASSWORD), SIGNATURE, CLIENT),
			'NOT_FOUND'
		);
		await expectAppError(
			signJudicialApplication(
				app,
				judicial.applicantToken,
				signing(prepared, PARTY_PASSWORD, { servicePhone: '12345' }),
				SIGNATURE,
				CLIENT
			),
			'VALIDATION',
			{ servicePhone: ['not_a_phone'] }
		);
		await expectAppError(
			signJudicialApplication(
				app,
				judicial.applicantToken,
				signing(prepared, PARTY_PASSWORD, { confirm: '' }),
				SIGNATURE,
				CLIENT
			),
			'VALIDATION',
			{ confirm: ['required'] }
		);
		await expectAppError(
			signJudicialApplication(
				app,
				judicial.applicantToken,
				signing(prepared, PARTY_PASSWORD),
				new Uint8Array(10),
				CLIENT
			),
			'VALIDATION',
			{ signature: ['invalid'] }
		);

		// Prepared again after she read it: she reads the new one first.
		await startJudicialApplication(app, mediator, { ...form, note: '请法院尽快审查。' }, null);
		await expectAppError(
			signJudicialApplication(app, judicial.applicantToken, signing(prepared, PARTY_PASSWORD), SIGNATURE, CLIENT),
			'CONFLICT',
			{ judicial: ['changed'] }
		);
		const again = await preparedAt(app, kase.caseId);
		const result = await signJudicialApplication(
			app,
			judicial.applicantToken,
			signing(again, PARTY_PASSWORD),
			SIGNATURE,
			CLIENT
		);
		expect(result.sealed).toBeNull();
		await expectAppError(
			signJudicialApplication(app, judicial.applicantToken, signing(again, PARTY_PASSWORD), SIGNATURE, CLIENT),
			'CONFLICT',
			{ signature: ['already_signed'] }
		);
		// Once someone signed, the mediator can no longer change what they signed.
		await expectAppError(startJudicialApplication(app, mediator, form, null), 'CONFLICT', { judicial: ['signed'] });
		const [signed] = (await actionsOf(app, kase.caseId)).filter((event) => event.action === 'judicial.signed');
		expect(signed).toMatchObject({ actorId: network.partyUser.id, actorLabel: kase.applicant.name });
		expect(signed.data).toMatchObject({ partyId: kase.applicant.id, proof: 'password' });

		// The respondent sees only his own service address, never hers.
		const his = await trackedJudicial(app.db, { id: kase.respondent.id, caseId: kase.caseId });
		expect(his?.me.proof).toBe('pin');
		expect(his?.application?.applicants.find((a) => a.partyId === kase.applicant.id)).toMatchObject({
			serviceAddress: null,
			servicePhone: null
		});
		expect(his?.application?.applicants.find((a) => a.partyId === kase.applicant.id)?.signedAt).not.toBeNull();
	});

	test(
		'the packet: sealed once both signed, pdfsig valid and whole, with the agreement bound in; then the court\u2019s answer and the case file',
		{ timeout: 180_000 },
		async ({ app, network, kase }) => {
			const judicial = await setUpJudicial(app, network, kase, {
				sealedAt: new Date(Date.now() - 2 * 86_400_000),
				clauses: ['双方自愿离婚，到民政部门办理离婚登记。']
			});
			const mediator = network.eastMediator;
			const view = await caseJudicial(app.db, mediator, {
				id: kase.caseId,
				committeePath: await committeePathOf(app.db, kase.caseId)
			});
			const divorce = `l${view!.flagged[0].line}`;
			await startJudicialApplication(
				app,
				mediator,
				{ caseId: kase.caseId, courtId: judicial.courtId, decisions: { [divorce]: 'exclude' } },
				null
			);
			// The court's answer waits for the sealed packet.
			await expectAppError(
				recordCourtAnswer(app, mediator, { caseId: kase.caseId, step: 'filed', on: today() }, [], null),
				'CONFLICT',
				{ judicial: ['required'] }
			);
			const prepared = await preparedAt(app, kase.caseId);
			await signJudicialApplication(app, judicial.applicantToken, signing(prepared, PARTY_PASSWORD), SIGNATURE, CLIENT);
			const { sealed } = await signJudicialApplication(
				app,
				judicial.respondentToken,
				signing(prepared, judicial.respondentPin, { serviceAddress: '青山镇东村14号', servicePhone: '13900139000' }),
				await signaturePng('王建国'),
				CLIENT
			);
			expect(sealed).toMatchObject({ kind: 'judicial_confirmation' });

			const [document] = await app.db.select().from(sealedDocuments).where(eq(sealedDocuments.id, sealed!.id));
			const pdf = new Uint8Array(document.pdf);
			const signatures = await pdfsig(pdf);
			expect(signatures).toMatch(/Signature Validation: Signature is Valid/);
			expect(signatures).toMatch(/Total document signed/);
			expect(signatures).not.toMatch(/Signature #2/);
			expect(await verifyDocumentId(app.db, { document: sealed!.id })).toMatchObject({
				status: 'authentic',
				kind: 'judicial_confirmation'
			});
			const pages = await pdfinfoPages(pdf);
			expect(pages).toBe(document.pages);
			expect(pages).toBeGreaterThan(judicial.agreement.pages + 1);
			const text = (await pdftotext(pdf)).replace(/\s+/g, '');
			for (const expected of [
				'人民调解协议司法确认申请书',
				`申请人一姓名：${kase.applicant.name}`,
				`申请人二姓名：${kase.respondent.name}`,
				'青山县人民法院',
				'请求人民法院依法确认',
				'下列条款除外',
				'不列入本次申请确认的范围',
				'送达地址确认',
				'青山镇东村12号',
				'青山镇东村14号',
				'身份证明材料清单',
				'签署证书',
				// The agreement's own pages, bound in.
				'经调解，自愿达成如下协议'
			])
				expect(text).toContain(expected);
			// ID numbers are masked in the packet.
			expect(text).not.toMatch(/\d{17}[\dX]/);
			// The certificate is the last page.
			expect(await pdftotext(pdf, { page: pages })).toMatch(/签署证书/);

			// The court's answer, step by step, in order and dated sensibly.
			const answer = (fields: Record<string, unknown>, files: File[] = []) =>
				recordCourtAnswer(app, mediator, { caseId: kase.caseId, ...fields }, files, null);
			await expectAppError(answer({ step: 'confirmed', on: today(), rulingNumber: 'x' }), 'CONFLICT', {
				step: ['out_of_order']
			});
			await expectAppError(answer({ step: 'filed', on: '2020-01-01' }), 'VALIDATION', { on: ['out_of_order'] });
			await expectAppError(answer({ step: 'filed', on: '2999-01-01' }), 'VALIDATION', { on: ['in_future'] });
			await answer({ step: 'filed', on: today() });
			await answer({ step: 'accepted', on: today() });
			await expectAppError(answer({ step: 'confirmed', on: today() }), 'VALIDATION', { rulingNumber: ['required'] });
			const result = await answer({ step: 'confirmed', on: today(), rulingNumber: '（2026）浙0102民特123号' }, [
				new File([new Uint8Array(evidencePdf())], '裁定书.pdf', { type: 'application/pdf' })
			]);
			expect(result).toMatchObject({
				filedOn: today(),
				accepted: true,
				ruling: 'confirmed',
				rulingNumber: '（2026）浙0102民特123号',
				rulingFile: { filename: '裁定书.pdf' }
			});
			const steps = (await actionsOf(app, kase.caseId))
				.map((event) => event.action)
				.filter((action) => /judicial\.(filed|accepted|confirmed)/.test(action));
			expect(steps).toEqual(['judicial.filed', 'judicial.accepted', 'judicial.confirmed']);
			await expectAppError(answer({ step: 'refused', on: today(), rulingNumber: 'y' }), 'CONFLICT', {
				step: ['out_of_order']
			});

			// The case file binds the packet and the answer after the agreement, before the audit extract.
			const file = await bindCaseFile(app, kase.caseId, { id: mediator.id, label: mediator.displayName }, null);
			const [binder] = await app.db.select().from(sealedDocuments).where(eq(sealedDocuments.id, file.id));
			const binderPdf = new Uint8Array(binder.pdf);
			const contents = contentsOf(await pdftotext(binderPdf, { page: 2, layout: true }));
			const titles = contents.map((entry) => entry.title);
			expect(titles.slice(titles.indexOf('人民调解协议书'))).toEqual([
				'人民调解协议书',
				'司法确认申请材料',
				'司法确认结果',
				'司法确认裁定书',
				'案件审计日志摘录'
			]);
			const packet = contents.find((entry) => entry.title === '司法确认申请材料')!;
			expect(packet.last - packet.first + 1).toBe(pages);
			expect(await pdftotext(binderPdf, { page: packet.first + 2 })).toMatch(/人民调解协议司法确认申请书/);
			const outcome = contents.find((entry) => entry.title === '司法确认结果')!;
			expect((await pdftotext(binderPdf, { page: outcome.first + 2 })).replace(/\s+/g, '')).toContain(
				'（2026）浙0102民特123号'
			);
			expect(await pdfsig(binderPdf)).toMatch(/Signature Validation: Signature is Valid/);
			expect(
				await app.db.$count(
					caseEvents,
					and(eq(caseEvents.caseId, kase.caseId), eq(caseEvents.action, 'judicial.signed'))
				)
			).toBe(2);
		}
	);
});

async function committeePathOf(db: Db, caseId: string) {
	const [row] = await db.select({ path: cases.committeePath }).from(cases).where(eq(cases.id, caseId));
	return row.path;
}

function today() {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** The 卷内目录 as printed: each row's title and its pages ("3" or "3–5"). */
function contentsOf(text: string): { title: string; first: number; last: number }[] {
	const rows = [...text.matchAll(/^\s*(\d+)\s+(\S.*?)\s{2,}(\d+)(?:–(\d+))?\s*$/gmu)];
	return rows.map((row) => ({ title: row[2].trim(), first: Number(row[3]), last: Number(row[4] ?? row[3]) }));
}
