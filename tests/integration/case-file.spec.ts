import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { describe, expect } from 'vitest';
import { addEvidence } from '#server/cases/add-evidence.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { cases, sealedDocuments } from '#server/db/schema.ts';
import { sealCaseDocument } from '#server/documents/seal-case-document.ts';
import { caseFileFor } from '#server/dossier/case-file-for.ts';
import { listRetentionPeriods, setRetentionPeriods } from '#server/dossier/retention-periods.ts';
import { RETENTION_DEFAULTS } from '#shared/dossier.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { addPerformanceItem } from '#server/performance/add-performance-item.ts';
import { addPerformanceProof } from '#server/performance/add-performance-proof.ts';
import { movePerformanceItem } from '#server/performance/move-performance-item.ts';
import { reportPerformanceItem } from '#server/performance/report-performance-item.ts';
import { verifySha256 } from '#server/signing/verification/verify-sealed-document.ts';
import type { Actor } from '#shared/roles.ts';
import type { App } from '#server/app.ts';
import { intakeForm } from '../support/case-network.ts';
import { pdf as evidencePdf } from '../support/evidence-samples.ts';
import { acknowledgeNoticeForAll } from '../support/notice.ts';
import { recordPhoneFollowUp } from '../support/follow-up.ts';
import { expectAppError } from '../support/integration-test.ts';
import { test, type CaseSetUp } from '../support/mediation-case.ts';
import { pdfinfoPages, pdfsig, pdftotext } from '../support/poppler.ts';
import { recordSealedAgreement } from '../support/sealed-agreement.ts';

const YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());

/** The agreement's one payment reported by the applicant's link with a photo, given a bank slip by the mediator, and confirmed. */
async function performAgreement(app: App, mediator: Actor, kase: CaseSetUp) {
	const { itemId } = await addPerformanceItem(
		app,
		mediator,
		{
			caseId: kase.caseId,
			kind: 'payment',
			description: '王建国赔偿李秀英损失',
			amount: '12000',
			dueOn: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()),
			place: '东村村委会',
			responsiblePartyId: kase.respondent.id
		},
		null
	);
	const slip = (name: string, bytes: Uint8Array<ArrayBuffer>) => [new File([bytes], name)];
	await reportPerformanceItem(app, kase.trackingToken, { itemId }, slip('排水沟回单.jpg', await photo()), null);
	await addPerformanceProof(
		app,
		mediator,
		{ caseId: kase.caseId, itemId },
		slip('银行回单.pdf', new Uint8Array(evidencePdf())),
		null
	);
	await movePerformanceItem(app, mediator, { caseId: kase.caseId, itemId, move: 'confirm' }, null);
}

async function photo(): Promise<Uint8Array<ArrayBuffer>> {
	const jpeg = await sharp({
		create: { width: 2400, height: 1800, channels: 3, background: { r: 90, g: 140, b: 200 } }
	})
		.jpeg({ quality: 90 })
		.toBuffer();
	return new Uint8Array(jpeg);
}

/** The 卷内目录 as printed: each row's title and its pages ("3" or "3–5"). */
function contentsOf(text: string): { title: string; first: number; last: number }[] {
	const rows = [...text.matchAll(/^\s*(\d+)\s+(\S.*?)\s{2,}(\d+)(?:–(\d+))?\s*$/gmu)];
	return rows.map((row) => ({ title: row[2].trim(), first: Number(row[3]), last: Number(row[4] ?? row[3]) }));
}

describe('the case file (卷宗)', () => {
	// Reads the file back page by page with poppler: a few dozen processes.
	test(
		'is bound when the case closes: numbered, its contents right page by page, sealed and verifiable',
		{ timeout: 180_000 },
		async ({ app, network, kase }) => {
			const mediator = network.eastMediator;
			await addEvidence(
				app,
				mediator,
				{ caseId: kase.caseId },
				[
					new File([await photo()], '排水沟现场.jpg', { type: 'image/jpeg' }),
					new File([new Uint8Array(evidencePdf())], '村委会证明.pdf', { type: 'application/pdf' })
				],
				null
			);
			await sealCaseDocument(app, {
				caseId: kase.caseId,
				kind: 'acceptance_register',
				blocks: [{ prefix: '', text: '经当事人同意调解。' }],
				actor: { id: mediator.id, label: mediator.displayName },
				ip: null
			});
			await acknowledgeNoticeForAll(app, kase.caseId, 'closed');
			await recordSealedAgreement(app, network.admin, { caseId: kase.caseId });
			await performAgreement(app, mediator, kase);
			await recordPhoneFollowUp(app, mediator, kase);
			for (const transition of ['schedule', 'start'] as const)
				await transitionCase(
					app,
					mediator,
					{ caseId: kase.caseId, transition, scheduledFor: '2030-01-01T09:00' },
					null
				);
			await transitionCase(app, mediator, { caseId: kase.caseId, transition: 'resolve', summary: '达成协议' }, null);
			await transitionCase(app, mediator, { caseId: kase.caseId, transition: 'close' }, null);

			const [closed] = await app.db.select().from(cases).where(eq(cases.id, kase.caseId));
			expect(closed.fileNumber).toBe(`（${YEAR}）东村人调字第1号`);
			const [file] = await app.db
				.select()
				.from(sealedDocuments)
				.where(and(eq(sealedDocuments.caseId, kase.caseId), eq(sealedDocuments.kind, 'case_file')));
			const pdf = new Uint8Array(file.pdf);
			expect(await pdfsig(pdf)).toMatch(/Signature Validation: Signature is Valid/);
			expect(await pdfsig(pdf)).toMatch(/Signature #1/);
			expect(await pdfsig(pdf)).not.toMatch(/Signature #2/);
			expect(await verifySha256(app.db, { sha256: file.sha256 })).toMatchObject({
				status: 'authentic',
				kind: 'case_file'
			});

			const cover = await pdftotext(pdf, { page: 1 });
			expect(cover).toContain('人民调解卷宗');
			expect(cover).toContain(`（${YEAR}）东村人调字第1号`);
			expect(cover).toContain('保管期限');
			expect(cover).toContain(mediator.displayName);

			const contents = contentsOf(await pdftotext(pdf, { page: 2, layout: true }));
			expect(contents.map((entry) => entry.title)).toEqual([
				'人民调解申请书',
				'人民调解受理登记表',
				'当事人权利义务告知确认记录',
				'证据清单',
				'证据照片',
				'证据 2：村委会证明.pdf',
				'人民调解协议书',
				'履行情况及凭证',
				'履行凭证照片',
				'履行凭证 1-2：银行回单.pdf',
				'人民调解回访记录',
				'案件审计日志摘录'
			]);
			// The numbered pages start after the cover and the one page of contents.
			const pages = await pdfinfoPages(pdf);
			for (const entry of contents) {
				for (let number = entry.first; number <= entry.last; number++) {
					const text = await pdftotext(pdf, { page: number + 2 });
					expect(text.trim().split('\n')[0].trim(), `page ${number} stamped`).toBe(String(number));
					// A bound PDF is the file as uploaded: only the binder's own pages carry their title.
					if (number === entry.first && !entry.title.endsWith('.pdf'))
						expect(text, `page ${number} starts ${entry.title}`).toContain(entry.title);
				}
			}
			expect(contents.at(-1)!.last + 3).toBe(pages);
			expect(await pdftotext(pdf, { page: pages })).toContain(`共 ${contents.at(-1)!.last} 页`);
			const application = await pdftotext(pdf, { page: 3 });
			expect(application).toMatch(new RegExp(`申请人\\s+姓名：${kase.applicant.name}`));
			const notice = contents.find((entry) => entry.title === '当事人权利义务告知确认记录')!;
			expect((await pdftotext(pdf, { page: notice.first + 2 })).replace(/\s/g, '')).toContain('要求不公开调解');
			const performance = contents.find((entry) => entry.title === '履行情况及凭证')!;
			const performed = (await pdftotext(pdf, { page: performance.first + 2 })).replace(/\s/g, '');
			for (const expected of [
				'本协议已履行完毕',
				'人民币12,000.00元（大写：壹万贰仟元整）',
				'已确认履行',
				'排水沟回单.jpg'
			])
				expect(performed).toContain(expected);
			const audit = contents.at(-1)!;
			expect(await pdftotext(pdf, { page: audit.first + 2 })).toMatch(/哈希链校验完整/);
		}
	);

	test('numbers run per committee and year, consecutive and without gaps when cases close at once', async ({
		app,
		network
	}) => {
		const mediator = network.eastMediator;
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
			for (const [transition, extra] of [
				['accept', { consent: 'on' }],
				['schedule', { scheduledFor: '2030-01-01T09:00' }],
				['start', {}],
				['resolve', { summary: '达成协议' }]
			] as const)
				await transitionCase(app, mediator, { caseId, transition, ...extra }, null);
			ids.push(caseId);
		}
		await Promise.all(ids.map((caseId) => transitionCase(app, mediator, { caseId, transition: 'close' }, null)));

		const numbers = await Promise.all(
			ids.map(async (id) => (await app.db.select().from(cases).where(eq(cases.id, id)))[0].fileNumber)
		);
		expect(numbers.toSorted()).toEqual([1, 2, 3, 4, 5].map((n) => `（${YEAR}）东村人调字第${n}号`).toSorted());
	});

	test('is for the committee: not for the parties, an expert or another village; bound on demand while open', async ({
		app,
		network,
		kase
	}) => {
		await expectAppError(caseFileFor(app, network.partyUser, kase.caseId, null), 'FORBIDDEN');
		await expectAppError(caseFileFor(app, network.expert, kase.caseId, null), 'FORBIDDEN');
		await expectAppError(caseFileFor(app, network.westMediator, kase.caseId, null), 'NOT_FOUND');

		const first = await caseFileFor(app, network.eastMediator, kase.caseId, null);
		expect(await pdftotext(new Uint8Array(first.pdf), { page: 1 })).toContain('尚未立卷编号');
		expect((await caseFileFor(app, network.eastAdmin, kase.caseId, null)).sha256).toBe(first.sha256);
		const again = await caseFileFor(app, network.eastMediator, kase.caseId, null, { rebind: true });
		expect(again.sha256).not.toBe(first.sha256);
		expect(await verifySha256(app.db, { sha256: first.sha256 })).toMatchObject({ status: 'superseded' });
	});

	test("prints the committee's retention period for the dispute's type, which only an installation admin sets", async ({
		app,
		network,
		kase
	}) => {
		const periods = { ...RETENTION_DEFAULTS, neighbour: '定期15年' };
		await expectAppError(setRetentionPeriods(app, network.eastAdmin, periods), 'FORBIDDEN');
		await expectAppError(setRetentionPeriods(app, network.admin, { ...periods, land: ' ' }), 'VALIDATION', {
			land: ['required']
		});
		expect(await listRetentionPeriods(app.db)).toEqual(RETENTION_DEFAULTS);

		await setRetentionPeriods(app, network.admin, periods);
		expect((await listRetentionPeriods(app.db)).neighbour).toBe('定期15年');
		const file = await caseFileFor(app, network.eastMediator, kase.caseId, null);
		expect(await pdftotext(new Uint8Array(file.pdf), { page: 1 })).toContain('定期15年');
	});
});
