import type { JSONContent } from '@tiptap/core';
import { Node } from '@tiptap/pm/model';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { templateForCase } from '#server/agreements/agreement-template.ts';
import { DEFAULT_AGREEMENT_TEMPLATE } from '#server/agreements/default-template.ts';
import {
	getAgreementTemplate,
	listAgreementTemplates,
	resetAgreementTemplate,
	saveAgreementTemplate
} from '#server/agreements/manage-agreement-templates.ts';
import type { App } from '#server/app.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { agreementTemplates, caseMediators } from '#server/db/schema.ts';
import { agreementSchema } from '#shared/agreement-schema.ts';
import { canonicalText } from '#shared/agreement.ts';
import { MAX_TEMPLATE_BYTES } from '#shared/agreement-template.ts';
import type { Actor } from '#shared/roles.ts';
import { intakeForm, setUpNetwork } from '../support/case-network.ts';
import { expectAppError, test as base } from '../support/integration-test.ts';

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

const NOW = new Date(2026, 10, 29, 10, 30);

/** A template of one heading and paragraphs, as the editor would post it. */
function templateDoc(title: string, ...paragraphs: string[]): JSONContent {
	return {
		type: 'doc',
		content: [
			{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: title }] },
			...paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] }))
		]
	};
}

function save(app: App, actor: Actor, orgNodeId: string, body: JSONContent | string) {
	return saveAgreementTemplate(app, actor, {
		orgNodeId,
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
}

async function draftText(app: App, caseId: string): Promise<string> {
	const draft = await templateForCase(app.db, caseId, NOW);
	// Whatever the template, the draft is a document the collaborative editor accepts.
	Node.fromJSON(agreementSchema(), draft).check();
	return canonicalText(draft);
}

const caseIn = async (app: App, villageId: string, overrides: Record<string, unknown> = {}) =>
	(await applyOnline(app, intakeForm(villageId, overrides), [], null)).caseId;

describe('templateForCase', () => {
	test('without templates, the built-in 人民调解协议书 is filled with the case', async ({ app, network }) => {
		const caseId = await caseIn(app, network.nodes.east.id, {
			respondents: [
				{ name: '王建国', phone: '13900139000' },
				{ name: '王小明', address: '东村15号' }
			]
		});
		await app.db.insert(caseMediators).values({ caseId, userId: network.eastMediator.id });
		const lines = (await draftText(app, caseId)).trimEnd().split('\n');

		expect(lines[0]).toBe('人民调解协议书');
		expect(lines[1]).toMatch(/^编号：\d{4}-QSZ-\d{6}$/);
		// The applicant and each respondent on a paragraph of their own, with what is known of them.
		expect(lines).toContain('申请人：李秀英，联系电话：13800138000，住址：东村12号');
		expect(lines).toContain('被申请人：王建国，联系电话：13900139000');
		expect(lines).toContain('被申请人：王小明，住址：东村15号');
		expect(lines).toContain(intakeForm('').facts);
		expect(lines).toContain(`申请人的请求：${intakeForm('').claims}`);
		expect(lines).toContain(
			'1. （协议条款：写明一方或各方同意承担的义务，如支付的款项及金额、交付的财物、停止或实施的行为。）'
		);
		expect(lines.find((line) => line.startsWith('本协议自各方当事人签名'))).toContain(
			'加盖东村人民调解委员会印章之日起生效。本协议一式四份'
		);
		expect(lines).toEqual(expect.arrayContaining(['申请人（签名）：', '被申请人（签名）：', '人民调解员（签名）：']));
		expect(lines.slice(-2)).toEqual(['东村人民调解委员会（印章）', '2026年11月29日']);
		expect(lines.join('\n')).not.toContain('{{');
	});

	test('a committee’s own template wins over the town’s; others inherit the town’s', async ({ app, network }) => {
		await save(app, network.admin, network.nodes.townId, templateDoc('镇模板', '{{committee.name}}'));
		await save(app, network.admin, network.nodes.east.id, templateDoc('东村模板', '{{committee.name}}'));
		const east = await caseIn(app, network.nodes.east.id);
		const eastGroup = await caseIn(app, network.nodes.eastGroup.id);
		const west = await caseIn(app, network.nodes.west.id);
		const south = await caseIn(app, network.nodes.south.id);

		expect(await draftText(app, east)).toBe('东村模板\n东村人民调解委员会\n');
		// 东村一组 has no committee: its case is 东村’s, and so is its template.
		expect(await draftText(app, eastGroup)).toBe('东村模板\n东村人民调解委员会\n');
		expect(await draftText(app, west)).toBe('镇模板\n西村人民调解委员会\n');
		expect(await draftText(app, south)).toBe('镇模板\n青石镇人民调解委员会\n');
	});

	test('placeholders are filled in text, marks and list items alike', async ({ app, network }) => {
		const caseId = await caseIn(app, network.nodes.west.id, {
			facts: '第一段事实，写得足够长。\n\n第二段事实。',
			amount: ''
		});
		await app.db.insert(caseMediators).values([
			{ caseId, userId: network.westMediator.id },
			{ caseId, userId: network.townMediator.id }
		]);
		const body: JSONContent = {
			type: 'doc',
			content: [
				{
					type: 'paragraph',
					content: [
						{ type: 'text', text: '案号 ' },
						{ type: 'text', marks: [{ type: 'bold' }], text: '{{ case.number }}' },
						{ type: 'text', text: '，地点{{village.name}}，金额{{amount}}，调解员{{mediators}}' }
					]
				},
				{ type: 'paragraph', content: [{ type: 'text', text: '{{facts}}' }] },
				{ type: 'paragraph', content: [{ type: 'text', text: '事实：{{facts}}' }] },
				{
					type: 'orderedList',
					attrs: { start: 1 },
					content: [
						{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: '{{respondents}}' }] }] }
					]
				},
				{ type: 'paragraph', content: [{ type: 'text', text: '{{申请人}} 与 {{unknown.thing}} 照旧' }] }
			]
		};
		await save(app, network.admin, network.nodes.west.id, body);
		const draft = await templateForCase(app.db, caseId, NOW);
		const text = await draftText(app, caseId);
		const number = /案号 ([^，]+)，/.exec(text)![1];

		expect(text).toBe(
			[
				`案号 ${number}，地点西村，金额无，调解员town-mediator-名、west-mediator-名`,
				'第一段事实，写得足够长。',
				'第二段事实。',
				// Inside a paragraph with other text, the lines are kept apart by line breaks.
				'事实：第一段事实，写得足够长。',
				'第二段事实。',
				'1. 被申请人：王建国，联系电话：13900139000',
				// Placeholders the app does not know stay as written, for the mediator to see.
				'{{申请人}} 与 {{unknown.thing}} 照旧',
				''
			].join('\n')
		);
		expect(draft.content![0].content![1]).toEqual({ type: 'text', marks: [{ type: 'bold' }], text: number });
		expect(draft.content![3].content!.map((node) => node.type)).toEqual(['text', 'hardBreak', 'text']);
	});

	test('an amount is written in yuan', async ({ app, network }) => {
		const caseId = await caseIn(app, network.nodes.west.id);
		await save(app, network.admin, network.nodes.west.id, templateDoc('金额', '{{amount}}'));
		expect(await draftText(app, caseId)).toBe('金额\n人民币1200.50元\n');
	});

	test('a case that does not exist is NOT_FOUND', async ({ app }) => {
		await expectAppError(templateForCase(app.db, crypto.randomUUID()), 'NOT_FOUND');
	});
});

describe('managing templates', () => {
	test('the list tells which organisations have their own template and whose the others inherit', async ({
		app,
		network
	}) => {
		const builtIn = await listAgreementTemplates(app.db, network.admin);
		// Every node that can hold a committee, the admin's own first; not the legal-expert roster.
		expect(builtIn[0]).toMatchObject({ name: '青石镇', depth: 0 });
		expect(builtIn.map((node) => node.name).sort()).toEqual(
			['青石镇', '东村', '东村一组', '南村', '物业纠纷调解中心', '西村'].sort()
		);
		expect(builtIn.every((node) => node.own === null && node.inheritsFrom === null)).toBe(true);

		await save(app, network.admin, network.nodes.townId, templateDoc('镇模板'));
		await save(app, network.admin, network.nodes.east.id, templateDoc('东村模板'));
		const byName = new Map((await listAgreementTemplates(app.db, network.admin)).map((node) => [node.name, node]));

		expect(byName.get('青石镇')).toMatchObject({ own: { updatedByName: '管理员' }, inheritsFrom: null });
		expect(byName.get('东村')).toMatchObject({ own: { updatedByName: '管理员' }, inheritsFrom: null });
		expect(byName.get('东村一组')).toMatchObject({
			own: null,
			inheritsFrom: { id: network.nodes.east.id, name: '东村' }
		});
		expect(byName.get('西村')).toMatchObject({ own: null, inheritsFrom: { id: network.nodes.townId, name: '青石镇' } });
		// A village admin sees their own subtree, and what it inherits from above.
		expect(await listAgreementTemplates(app.db, network.eastAdmin)).toMatchObject([
			{ name: '东村', own: { updatedByName: '管理员' } },
			{ name: '东村一组', own: null, inheritsFrom: { name: '东村' } }
		]);
	});

	test('the editor gets the template that applies, and whose it is', async ({ app, network }) => {
		const west = { orgNodeId: network.nodes.west.id };
		expect(await getAgreementTemplate(app.db, network.admin, west)).toMatchObject({
			node: { id: network.nodes.west.id, name: '西村', kind: 'village' },
			own: null,
			source: null,
			body: DEFAULT_AGREEMENT_TEMPLATE,
			unknownPlaceholders: []
		});

		await save(app, network.admin, network.nodes.townId, templateDoc('镇模板', '{{申请人}}、{{ case.numbr }}'));
		expect(await getAgreementTemplate(app.db, network.admin, west)).toMatchObject({
			own: null,
			source: { id: network.nodes.townId, name: '青石镇' },
			body: templateDoc('镇模板', '{{申请人}}、{{ case.numbr }}'),
			unknownPlaceholders: ['申请人', 'case.numbr']
		});
	});

	test('saving again replaces the template; resetting falls back to the one above', async ({ app, network }) => {
		const caseId = await caseIn(app, network.nodes.east.id);
		await save(app, network.admin, network.nodes.townId, templateDoc('镇模板'));
		await save(app, network.eastAdmin, network.nodes.east.id, templateDoc('东村模板'));
		await save(app, network.eastAdmin, network.nodes.east.id, templateDoc('东村模板二'));
		expect(await draftText(app, caseId)).toBe('东村模板二\n');
		expect(await app.db.$count(agreementTemplates)).toBe(2);

		await resetAgreementTemplate(app, network.eastAdmin, { orgNodeId: network.nodes.east.id });
		expect(await draftText(app, caseId)).toBe('镇模板\n');
		// Resetting what has no template of its own changes nothing.
		await resetAgreementTemplate(app, network.eastAdmin, { orgNodeId: network.nodes.east.id });
		await resetAgreementTemplate(app, network.admin, { orgNodeId: network.nodes.townId });
		expect((await draftText(app, caseId)).split('\n')[0]).toBe('人民调解协议书');
		expect(await app.db.$count(agreementTemplates)).toBe(0);
	});

	test('what is stored is the checked document, without attributes the schema does not have', async ({
		app,
		network
	}) => {
		const body = templateDoc('标题', '正文');
		body.content![1].attrs = { onclick: 'alert(1)' };
		await save(app, network.admin, network.nodes.townId, body);
		const [stored] = await app.db.select().from(agreementTemplates);
		expect(stored).toMatchObject({ orgNodeId: network.nodes.townId, updatedById: network.admin.id });
		expect(stored.body).toEqual(templateDoc('标题', '正文'));
	});

	test.for([
		[
			'a node type the agreement does not have',
			JSON.stringify({ type: 'doc', content: [{ type: 'image' }] }),
			'invalid'
		],
		[
			'a mark the agreement does not have',
			JSON.stringify({
				type: 'doc',
				content: [{ type: 'paragraph', content: [{ type: 'text', text: '链接', marks: [{ type: 'link' }] }] }]
			}),
			'invalid'
		],
		['a paragraph instead of a document', JSON.stringify({ type: 'paragraph' }), 'invalid'],
		['a list item outside a list', JSON.stringify({ type: 'doc', content: [{ type: 'listItem' }] }), 'invalid'],
		['text that is not JSON', '{"type": "doc", ', 'invalid'],
		['JSON that is not a node', '[1, 2, 3]', 'invalid'],
		['a document without text', JSON.stringify({ type: 'doc', content: [{ type: 'paragraph' }] }), 'required'],
		['nothing', '', 'required'],
		['more than the limit', JSON.stringify(templateDoc('长', '字'.repeat(MAX_TEMPLATE_BYTES / 3))), 'too_long']
	] as const)(
		'%s is refused with VALIDATION on body, and nothing is saved',
		async ([, body, code], { app, network }) => {
			await expectAppError(save(app, network.admin, network.nodes.townId, body), 'VALIDATION', { body: [code] });
			expect(await app.db.$count(agreementTemplates)).toBe(0);
		}
	);

	test('a body that is not text, or a node that is not an id, is VALIDATION', async ({ app, network }) => {
		await expectAppError(
			saveAgreementTemplate(app, network.admin, { orgNodeId: 'town', body: templateDoc('标题') }),
			'VALIDATION',
			{ orgNodeId: ['invalid'], body: ['required'] }
		);
	});

	test('a legal-expert roster cannot have a template', async ({ app, network }) => {
		await expectAppError(save(app, network.admin, network.nodes.roster.id, templateDoc('标题')), 'VALIDATION', {
			orgNodeId: ['invalid']
		});
	});

	test('only admins manage templates', async ({ app, network }) => {
		for (const actor of [network.eastMediator, network.gridWorker, network.partyUser]) {
			await expectAppError(save(app, actor, network.nodes.east.id, templateDoc('标题')), 'FORBIDDEN');
			await expectAppError(resetAgreementTemplate(app, actor, { orgNodeId: network.nodes.east.id }), 'FORBIDDEN');
			await expectAppError(listAgreementTemplates(app.db, actor), 'FORBIDDEN');
			await expectAppError(getAgreementTemplate(app.db, actor, { orgNodeId: network.nodes.east.id }), 'FORBIDDEN');
		}
		expect(await app.db.$count(agreementTemplates)).toBe(0);
	});

	test('an admin manages only their subtree’s templates', async ({ app, network }) => {
		await save(app, network.admin, network.nodes.townId, templateDoc('镇模板'));
		const eastAdmin = network.eastAdmin;
		await expectAppError(save(app, eastAdmin, network.nodes.west.id, templateDoc('越权')), 'NOT_FOUND');
		await expectAppError(save(app, eastAdmin, network.nodes.townId, templateDoc('越权')), 'NOT_FOUND');
		await expectAppError(resetAgreementTemplate(app, eastAdmin, { orgNodeId: network.nodes.townId }), 'NOT_FOUND');
		await expectAppError(getAgreementTemplate(app.db, eastAdmin, { orgNodeId: network.nodes.west.id }), 'NOT_FOUND');
		const [town] = await app.db
			.select()
			.from(agreementTemplates)
			.where(eq(agreementTemplates.orgNodeId, network.nodes.townId));
		expect(town.body).toEqual(templateDoc('镇模板'));
		expect(await app.db.$count(agreementTemplates)).toBe(1);

		await save(app, eastAdmin, network.nodes.eastGroup.id, templateDoc('一组模板'));
		expect(await app.db.$count(agreementTemplates)).toBe(2);
	});
});
