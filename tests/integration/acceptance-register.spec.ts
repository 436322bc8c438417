import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { caseEvents, cases, sealedDocuments } from '#server/db/schema.ts';
import { registerAcceptance } from '#server/documents/register-acceptance.ts';
import { verifyDocumentId } from '#server/signing/verification/verify-sealed-document.ts';
import { intakeForm, setUpNetwork } from '../support/case-network.ts';
import { CLIENT, expectAppError, test as base } from '../support/integration-test.ts';
import { pdfsig, pdftotext } from '../support/poppler.ts';

const test = base.extend('network', async ({ app }) => setUpNetwork(app));
test.override('appEnv', { ACCEPTANCE_REGISTERS: 'on_accept' });

const currentRegisters = (app: App, caseId: string) =>
	app.db
		.select()
		.from(sealedDocuments)
		.where(
			and(
				eq(sealedDocuments.caseId, caseId),
				eq(sealedDocuments.kind, 'acceptance_register'),
				isNull(sealedDocuments.supersededAt)
			)
		);

describe('the acceptance register (受理登记表)', () => {
	test('accepting a case seals its register with the chosen source, the parties and their consent', async ({
		app,
		network
	}) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const accepted = await transitionCase(
			app,
			network.eastMediator,
			{ caseId, transition: 'accept', acceptanceSource: 'police_referral', consent: 'on' },
			CLIENT.ip
		);
		expect(accepted.status).toBe('accepted');
		await app.registers.settled();

		const [kase] = await app.db.select().from(cases).where(eq(cases.id, caseId));
		expect(kase.acceptanceSource).toBe('police_referral');
		const [register] = await currentRegisters(app, caseId);
		const pdf = new Uint8Array(register.pdf);
		const text = await pdftotext(pdf);
		for (const expected of [
			'人民调解受理登记表',
			kase.number,
			'受理来源：公安移交',
			'纠纷类型：邻里纠纷',
			'经当事人同意调解：是',
			'申请人',
			'李秀英',
			'13800138000',
			'东村12号',
			'被申请人',
			'王建国',
			'排水沟上砌墙',
			'拆除砌墙，恢复排水沟。',
			`登记人：${network.eastMediator.displayName}`,
			'东村人民调解委员会'
		])
			expect(text).toContain(expected);
		expect(await pdfsig(pdf)).toMatch(/Signature Validation: Signature is Valid/);
		expect(await verifyDocumentId(app.db, { document: register.id })).toMatchObject({
			status: 'authentic',
			kind: 'acceptance_register'
		});

		const actions = await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));
		expect(actions.find((event) => event.action === 'case.accept')?.data).toMatchObject({
			acceptanceSource: 'police_referral',
			consent: true
		});
		expect(actions.find((event) => event.action === 'document.sealed')).toMatchObject({
			actorId: network.eastMediator.id,
			data: { kind: 'acceptance_register', documentId: register.id }
		});
	});

	test('the source defaults to what the intake channel suggests: an online application is 当事人申请', async ({
		app,
		network
	}) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		await transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null);
		await app.registers.settled();
		const [register] = await currentRegisters(app, caseId);
		expect(await pdftotext(new Uint8Array(register.pdf))).toContain('受理来源：当事人申请');
	});

	test('accepting without the parties’ consent confirmed, or with a source not on the list, is refused and changes nothing', async ({
		app,
		network
	}) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		await expectAppError(
			transitionCase(app, network.eastMediator, { caseId, transition: 'accept' }, null),
			'VALIDATION',
			{ consent: ['required'] }
		);
		await expectAppError(
			transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'yes' }, null),
			'VALIDATION',
			{ consent: ['required'] }
		);
		await expectAppError(
			transitionCase(
				app,
				network.eastMediator,
				{ caseId, transition: 'accept', consent: 'on', acceptanceSource: 'hearsay' },
				null
			),
			'VALIDATION',
			{ acceptanceSource: ['invalid'] }
		);
		await app.registers.settled();
		const [kase] = await app.db.select().from(cases).where(eq(cases.id, caseId));
		expect(kase).toMatchObject({ status: 'submitted', acceptanceSource: null, acceptedAt: null });
		expect(await currentRegisters(app, caseId)).toEqual([]);
	});

	test('a case accepted before registers were made gets one on demand, with the source and consent confirmed', async ({
		app,
		network
	}) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		await transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null);
		await app.registers.settled();
		// As a case accepted before this change: no source, no register.
		await app.db.update(cases).set({ acceptanceSource: null }).where(eq(cases.id, caseId));
		await app.db.delete(sealedDocuments).where(eq(sealedDocuments.caseId, caseId));

		await expectAppError(registerAcceptance(app, network.eastMediator, { caseId }, null), 'VALIDATION', {
			consent: ['required']
		});
		await expectAppError(registerAcceptance(app, network.westMediator, { caseId, consent: 'on' }, null), 'NOT_FOUND');
		expect(await currentRegisters(app, caseId)).toEqual([]);

		const view = await registerAcceptance(
			app,
			network.eastMediator,
			{ caseId, acceptanceSource: 'committee_initiative', consent: 'on' },
			CLIENT.ip
		);
		const [register] = await currentRegisters(app, caseId);
		expect(register.id).toBe(view.id);
		expect(await pdftotext(new Uint8Array(register.pdf))).toContain('受理来源：调委会主动调解');
		const confirmed = await app.db
			.select()
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, 'case.acceptance_confirmed')));
		expect(confirmed.map((event) => event.data)).toEqual([{ acceptanceSource: 'committee_initiative', consent: true }]);
	});

	test('a case not accepted has no register to make', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		await expectAppError(registerAcceptance(app, network.eastMediator, { caseId, consent: 'on' }, null), 'CONFLICT');
		expect(await currentRegisters(app, caseId)).toEqual([]);
	});
});
