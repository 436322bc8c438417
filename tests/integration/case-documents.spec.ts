import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { caseEvents, sealedDocuments } from '#server/db/schema.ts';
import { listCaseDocuments } from '#server/documents/list-case-documents.ts';
import { readCaseDocument } from '#server/documents/read-case-document.ts';
import { sealCaseDocument } from '#server/documents/seal-case-document.ts';
import { takesPartInCase } from '#server/documents/takes-part-in-case.ts';
import { verifyDocumentId, verifyPdfFile, verifySha256 } from '#server/signing/verification/verify-sealed-document.ts';
import { join, joinTokenOf, scheduleMediation, test } from '../support/mediation-case.ts';
import { pdfsig, pdftotext } from '../support/poppler.ts';

const REGISTER = [
	{ prefix: '', text: '人民调解受理登记表', heading: 1 },
	// No date in the text: the date the register is issued is printed all the same.
	{ prefix: '', text: '经当事人同意调解，本委员会受理。' }
];

describe('a sealed document of record', () => {
	test('is printed with its kind, sealed, stored, audited and verifiable by file, hash and id', async ({
		app,
		network,
		kase
	}) => {
		const view = await sealCaseDocument(app, {
			caseId: kase.caseId,
			kind: 'acceptance_register',
			blocks: REGISTER,
			actor: { id: network.eastMediator.id, label: network.eastMediator.displayName },
			ip: '203.0.113.7'
		});

		const stored = await readCaseDocument(app.db, kase.caseId, view.id);
		expect(stored).toMatchObject({ kind: 'acceptance_register', sha256: view.sha256 });
		const pdf = new Uint8Array(stored!.pdf);
		const text = await pdftotext(pdf);
		expect(text).toContain('人民调解受理登记表');
		expect(text).toContain('经当事人同意调解');
		expect(text).toContain('本文书由调解组织以电子方式制作');
		expect(text).toContain(`/verify?document=${view.id}`);
		expect(await pdfsig(pdf)).toMatch(/Signature Validation: Signature is Valid/);

		const events = await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, kase.caseId));
		expect(events.find((e) => e.action === 'document.sealed')?.data).toMatchObject({
			documentId: view.id,
			kind: 'acceptance_register',
			sha256: view.sha256
		});

		const expected = { status: 'authentic', kind: 'acceptance_register', sha256: view.sha256, pages: view.pages };
		expect(await verifySha256(app.db, { sha256: view.sha256 })).toMatchObject(expected);
		expect(await verifyDocumentId(app.db, { document: view.id })).toMatchObject(expected);
		const file = new File([pdf as Uint8Array<ArrayBuffer>], 'register.pdf');
		expect(await verifyPdfFile(app.db, { file })).toMatchObject(expected);
	});

	test('a newer one of the same kind supersedes the older, which stays listed and verifiable', async ({
		app,
		network,
		kase
	}) => {
		const input = {
			caseId: kase.caseId,
			kind: 'acceptance_register' as const,
			blocks: REGISTER,
			actor: { id: network.eastMediator.id, label: network.eastMediator.displayName },
			ip: null
		};
		const first = await sealCaseDocument(app, input);
		const second = await sealCaseDocument(app, input);

		const listed = await listCaseDocuments(app.db, kase.caseId);
		expect(listed.map((d) => [d.id, d.supersededAt !== null])).toEqual([
			[first.id, true],
			[second.id, false]
		]);
		expect(await verifySha256(app.db, { sha256: first.sha256 })).toMatchObject({ status: 'superseded' });
		const rows = await app.db.select().from(sealedDocuments).where(eq(sealedDocuments.caseId, kase.caseId));
		expect(rows).toHaveLength(2);
	});
});

describe('who may download a case document', () => {
	test("the case's mediators, its parties by account or invitation; not another village's mediator", async ({
		app,
		network,
		kase
	}) => {
		const { invitationOf } = await scheduleMediation(app, network, kase);
		const invitation = invitationOf(kase.respondent.name);
		const joinToken = joinTokenOf(await join(app, invitation, invitation.pin));

		expect(await takesPartInCase(app.db, kase.caseId, [{ actor: network.eastMediator }])).toBe(true);
		expect(await takesPartInCase(app.db, kase.caseId, [{ actor: network.partyUser }])).toBe(true);
		expect(await takesPartInCase(app.db, kase.caseId, [{ joinToken }])).toBe(true);
		expect(await takesPartInCase(app.db, kase.caseId, [{ actor: network.westMediator }])).toBe(false);
		expect(await takesPartInCase(app.db, kase.caseId, [{ joinToken: 'not-a-token' }])).toBe(false);
	});
});
