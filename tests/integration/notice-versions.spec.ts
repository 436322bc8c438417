/**
 * The committee's text of the rights and duties notice: versions an admin writes, the public
 * page's choice of committee, and the acknowledgement a mediator records on site for a party
 * present in person.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { caseEvents, noticeAcknowledgements, noticeVersions } from '#server/db/schema.ts';
import { currentNotice, noticeForCase, noticeSha256 } from '#server/notice/current-notice.ts';
import { DEFAULT_NOTICE } from '#server/notice/default-notice.ts';
import { getNoticeHistory } from '#server/notice/get-notice-history.ts';
import { listNoticeAcknowledgements } from '#server/notice/list-notice-acknowledgements.ts';
import { publicNotice } from '#server/notice/public-notice.ts';
import { recordOnSiteAcknowledgement } from '#server/notice/record-on-site-acknowledgement.ts';
import { reviseNotice } from '#server/notice/revise-notice.ts';
import { AppError } from '#shared/errors.ts';
import { CLIENT } from '../support/integration-test.ts';
import { test } from '../support/mediation-case.ts';
import { signaturePng } from '../support/signing-samples.ts';

async function codeOf(work: Promise<unknown>) {
	try {
		await work;
	} catch (error) {
		if (error instanceof AppError) return error.code;
		throw error;
	}
	return 'ok';
}

describe('versions of the notice', () => {
	test('a committee starts from the built-in text; each save by an admin is a new version, the old ones kept', async ({
		app,
		network
	}) => {
		const committeeId = network.committees.east.id;
		const builtIn = await currentNotice(app.db, committeeId);
		expect(builtIn).toMatchObject({ version: 1, bodyZh: DEFAULT_NOTICE.bodyZh, createdByName: null });
		expect(builtIn.bodyZh).toContain('要求调解公开进行或者不公开进行');
		expect(builtIn.sha256).toBe(noticeSha256(DEFAULT_NOTICE.bodyZh, DEFAULT_NOTICE.bodyEn));

		const first = await reviseNotice(app, network.admin, { committeeId, bodyZh: '  第一版。\n\n权利与义务。  ' });
		const second = await reviseNotice(app, network.eastAdmin, { committeeId, bodyZh: '第二版。', bodyEn: 'Second.' });
		expect([first.version, second.version]).toEqual([2, 3]);
		expect(first.sha256).toBe(noticeSha256('第一版。\n\n权利与义务。', ''));

		const history = await getNoticeHistory(app.db, network.eastAdmin, { committeeId });
		expect(history.map((version) => [version.version, version.createdByName])).toEqual([
			[3, network.eastAdmin.displayName],
			[2, network.admin.displayName],
			[1, null]
		]);
		expect(await currentNotice(app.db, committeeId)).toMatchObject({
			version: 3,
			bodyZh: '第二版。',
			bodyEn: 'Second.'
		});
		// Another committee keeps the built-in text.
		expect(await currentNotice(app.db, network.committees.west.id)).toMatchObject({ version: 1 });
	});

	test('only admins write it, for committees of their subtree, and an empty or overlong text changes nothing', async ({
		app,
		network
	}) => {
		const east = network.committees.east.id;
		const west = network.committees.west.id;
		expect(await codeOf(reviseNotice(app, network.eastMediator, { committeeId: east, bodyZh: '文本' }))).toBe(
			'FORBIDDEN'
		);
		expect(await codeOf(reviseNotice(app, network.eastAdmin, { committeeId: west, bodyZh: '文本' }))).toBe('NOT_FOUND');
		expect(await codeOf(getNoticeHistory(app.db, network.eastAdmin, { committeeId: west }))).toBe('NOT_FOUND');
		expect(await codeOf(reviseNotice(app, network.admin, { committeeId: east, bodyZh: '   ' }))).toBe('VALIDATION');
		expect(await codeOf(reviseNotice(app, network.admin, { committeeId: east, bodyZh: '长'.repeat(20_001) }))).toBe(
			'VALIDATION'
		);
		expect(await app.db.select().from(noticeVersions)).toEqual([]);
	});

	test('the public notice is of the committee asked for, or the first by name; an unknown one is not found', async ({
		app,
		network
	}) => {
		await reviseNotice(app, network.admin, { committeeId: network.committees.west.id, bodyZh: '西村的告知书。' });
		const all = await publicNotice(app.db, null);
		expect(all.committees.map((committee) => committee.name)).toContain('西村人民调解委员会');
		expect(all.notice?.committeeId).toBe(all.committees[0].id);
		expect((await publicNotice(app.db, network.committees.west.id)).notice).toMatchObject({
			committeeName: '西村人民调解委员会',
			version: 2,
			bodyZh: '西村的告知书。'
		});
		expect(await codeOf(publicNotice(app.db, 'not-an-id'))).toBe('NOT_FOUND');
		expect(await codeOf(publicNotice(app.db, crypto.randomUUID()))).toBe('NOT_FOUND');
	});
});

describe('on-site acknowledgement', () => {
	test('a mediator records it with the party’s drawn signature, kept and audited as on site', async ({
		app,
		network,
		kase
	}) => {
		const { sha256 } = await noticeForCase(app.db, kase.caseId);
		const png = await signaturePng(kase.respondent.name);
		const input = {
			caseId: kase.caseId,
			partyId: kase.respondent.id,
			sha256,
			sessionChoice: 'closed',
			signature: Buffer.from(png).toString('base64')
		};
		expect(await recordOnSiteAcknowledgement(app, network.eastMediator, input, CLIENT.ip)).toMatchObject({
			version: 1
		});
		const [row] = await app.db
			.select()
			.from(noticeAcknowledgements)
			.where(eq(noticeAcknowledgements.casePartyId, kase.respondent.id));
		expect(row).toMatchObject({
			via: 'on_site',
			sessionChoice: 'closed',
			recordedById: network.eastMediator.id,
			sha256
		});
		expect(new Uint8Array(row.signature!)).toEqual(png);
		const [event] = await app.db
			.select()
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, kase.caseId), eq(caseEvents.action, 'notice.acknowledged_on_site')));
		expect(event).toMatchObject({
			actorId: network.eastMediator.id,
			ip: CLIENT.ip,
			data: { partyId: kase.respondent.id, version: 1, sha256, sessionChoice: 'closed', via: 'on_site' }
		});

		// The case page's view: who acknowledged which version, and that someone wants it closed.
		const { parties } = await listNoticeAcknowledgements(app.db, kase.caseId);
		expect(parties.map((party) => [party.partyName, party.latest?.sessionChoice ?? null])).toEqual([
			[kase.applicant.name, null],
			[kase.respondent.name, 'closed']
		]);
		expect(parties[1].latest).toMatchObject({
			current: true,
			via: 'on_site',
			recordedByName: network.eastMediator.displayName
		});
		await reviseNotice(app, network.admin, { committeeId: network.committees.east.id, bodyZh: '新的告知书。' });
		expect((await listNoticeAcknowledgements(app.db, kase.caseId)).parties[1].latest).toMatchObject({
			current: false,
			version: 1
		});
	});

	test('it is refused to anyone but a mediator of the case, without a signature, or with one that is no PNG', async ({
		app,
		network,
		kase
	}) => {
		const { sha256 } = await noticeForCase(app.db, kase.caseId);
		const signature = Buffer.from(await signaturePng('王建国')).toString('base64');
		const input = { caseId: kase.caseId, partyId: kase.respondent.id, sha256, sessionChoice: 'public', signature };
		const record = (actor: typeof network.admin, fields: Record<string, unknown>) =>
			codeOf(recordOnSiteAcknowledgement(app, actor, { ...input, ...fields }, CLIENT.ip));
		expect(await record(network.admin, {})).toBe('FORBIDDEN');
		expect(await record(network.expert, {})).toBe('FORBIDDEN');
		expect(await record(network.partyUser, {})).toBe('FORBIDDEN');
		expect(await record(network.westMediator, {})).toBe('NOT_FOUND');
		expect(await record(network.eastMediator, { signature: undefined })).toBe('VALIDATION');
		expect(
			await record(network.eastMediator, { signature: Buffer.from('not a png at all, just text').toString('base64') })
		).toBe('VALIDATION');
		expect(await record(network.eastMediator, { partyId: crypto.randomUUID() })).toBe('VALIDATION');
		expect(await record(network.eastMediator, { sha256: 'a'.repeat(64) })).toBe('CONFLICT');
		expect(await app.db.select().from(noticeAcknowledgements)).toEqual([]);
	});
});
