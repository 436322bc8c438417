import { count, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { applyOnline } from '#server/cases/apply-online.ts';
import { getCase } from '#server/cases/get-case.ts';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import { listCases } from '#server/cases/list-cases.ts';
import { getTrackedCase } from '#server/cases/track-case.ts';
import { updateParty } from '#server/cases/update-party.ts';
import { caseEvents, caseParties, cases, storedFiles } from '#server/db/schema.ts';
import { readPowerOfAttorneyFile } from '#server/evidence/read-power-of-attorney-file.ts';
import { createLogger } from '#server/log.ts';
import type { App } from '#server/app.ts';
import { intakeForm, setUpNetwork } from '../support/case-network.ts';
import { creditCode, residentIdNumber } from '../support/identity-numbers.ts';
import { CLIENT, expectAppError, test as base } from '../support/integration-test.ts';

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

const applicantId = residentIdNumber({ region: '330106', birthDate: '1968-03-15', sex: 'female', sequence: 12 });
const factoryCode = creditCode({ region: '330106', organisation: 'MA27Q1X2B' });

/** An application with every detail of both parties: the applicant a person, the respondent a company. */
const fullApplication = (villageId: string) =>
	intakeForm(villageId, {
		applicant: {
			kind: 'person',
			name: '李秀英',
			phone: '138 0013 8000',
			idType: 'resident_id',
			idNumber: applicantId,
			ethnicity: '01',
			occupation: '农民',
			address: '东村12号'
		},
		respondents: [
			{
				kind: 'organisation',
				name: '东村建材有限公司',
				phone: '0571-87654321',
				creditCode: factoryCode,
				representative: '王建国',
				representativeRole: 'legal_representative',
				address: '东村工业区3号'
			}
		]
	});

const pdf = () => new File([Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')], '授权委托书.pdf');
const text = () => new File([Buffer.from('我委托李律师代理本案。')], '委托书.txt');

async function countOf(app: App, table: typeof cases | typeof caseParties | typeof storedFiles) {
	const [row] = await app.db.select({ n: count() }).from(table);
	return row.n;
}

describe('party details at application', () => {
	test('an application with full details stores them, fills in birth date and sex from the ID number, and is complete', async ({
		app,
		network
	}) => {
		const { caseId } = await applyOnline(app, fullApplication(network.nodes.east.id), [], CLIENT.ip);
		const detail = await getCase(app.db, network.eastMediator, caseId);
		const [applicant, respondent] = detail.parties;
		expect(applicant.details).toMatchObject({
			kind: 'person',
			name: '李秀英',
			phone: '13800138000',
			gender: 'female',
			birthDate: '1968-03-15',
			ethnicity: '01',
			idType: 'resident_id',
			idNumber: applicantId
		});
		expect(applicant.missing).toEqual([]);
		expect(respondent.details).toMatchObject({
			kind: 'organisation',
			creditCode: factoryCode,
			representative: '王建国',
			gender: null,
			idNumber: null
		});
		expect(respondent.missing).toEqual([]);
		const page = await listCases(app.db, network.eastMediator, {});
		expect(page.cases.find((c) => c.id === caseId)?.partiesIncomplete).toBe(false);
	});

	test('a wrong ID number is refused at its field and nothing is stored', async ({ app, network }) => {
		const before = [await countOf(app, cases), await countOf(app, caseParties)];
		const form = fullApplication(network.nodes.east.id);
		const wrongCheck = applicantId.slice(0, 17) + (applicantId[17] === '1' ? '2' : '1');
		await expectAppError(
			applyOnline(app, { ...form, applicant: { ...form.applicant, idNumber: wrongCheck } }, [], CLIENT.ip),
			'VALIDATION',
			{ 'applicant.idNumber': ['check_character'] }
		);
		await expectAppError(
			applyOnline(
				app,
				{ ...form, applicant: { ...form.applicant, gender: 'male', birthDate: '1968-03-16' } },
				[],
				null
			),
			'VALIDATION',
			{ 'applicant.gender': ['not_as_id_number'], 'applicant.birthDate': ['not_as_id_number'] }
		);
		const badCode = `${factoryCode.slice(0, 17)}${factoryCode[17] === '0' ? '1' : '0'}`;
		await expectAppError(
			applyOnline(app, { ...form, respondents: [{ ...form.respondents[0], creditCode: badCode }] }, [], null),
			'VALIDATION',
			{ 'respondents.0.creditCode': ['check_character'] }
		);
		expect([await countOf(app, cases), await countOf(app, caseParties)]).toEqual(before);
	});

	test('a case applied for with names and a phone only says what each party lacks', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const detail = await getCase(app.db, network.eastMediator, caseId);
		expect(detail.parties.map((p) => p.missing)).toEqual([
			['gender', 'ethnicity', 'birthDate', 'occupation', 'idNumber'],
			['gender', 'ethnicity', 'birthDate', 'occupation', 'idNumber', 'addressOrWorkplace']
		]);
		const page = await listCases(app.db, network.eastMediator, {});
		expect(page.cases.find((c) => c.id === caseId)?.partiesIncomplete).toBe(true);
	});
});

describe("the mediator's edit of a party", () => {
	test('completes the details, names an agent with a power of attorney, and records which details changed', async ({
		app,
		network
	}) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const [, respondent] = (await getCase(app.db, network.eastMediator, caseId)).parties;
		const respondentId = residentIdNumber({ birthDate: '1975-09-30', sex: 'male', sequence: 40 });
		await updateParty(
			app,
			network.eastMediator,
			{
				caseId,
				partyId: respondent.id,
				party: {
					name: '王建国',
					phone: '13900139000',
					idNumber: respondentId,
					ethnicity: '03',
					occupation: '个体户',
					workplace: '东村小卖部'
				},
				agent: { name: '赵律师', phone: '13700137000', scope: 'special' }
			},
			[pdf()],
			CLIENT.ip
		);

		const after = await getCase(app.db, network.eastMediator, caseId);
		const edited = after.parties.find((p) => p.id === respondent.id)!;
		expect(edited.details).toMatchObject({
			idNumber: respondentId,
			gender: 'male',
			birthDate: '1975-09-30',
			agent: { name: '赵律师', scope: 'special', powerOfAttorney: { filename: '授权委托书.pdf' } }
		});
		expect(edited.missing).toEqual([]);
		const file = await readPowerOfAttorneyFile(app.db, caseId, respondent.id);
		expect(file).toMatchObject({ mimeType: 'application/pdf', filename: '授权委托书.pdf' });

		const [event] = await app.db.select().from(caseEvents).where(eq(caseEvents.action, 'party.updated'));
		expect(event).toMatchObject({ caseId, actorId: network.eastMediator.id, ip: CLIENT.ip });
		expect(event.data).toMatchObject({
			partyId: respondent.id,
			name: '王建国',
			changed: expect.arrayContaining(['idNumber', 'gender', 'birthDate', 'agentName', 'agentPowerOfAttorneyFileId']),
			powerOfAttorney: { filename: '授权委托书.pdf', sha256: file!.sha256 }
		});
		// The audit log says that the ID number changed, never what it is.
		expect(JSON.stringify(event.data)).not.toContain(respondentId.slice(6, 14));

		// Saving the same again changes nothing and records nothing.
		const events = await app.db.select({ n: count() }).from(caseEvents).where(eq(caseEvents.caseId, caseId));
		await updateParty(
			app,
			network.eastMediator,
			{
				caseId,
				partyId: respondent.id,
				party: {
					name: '王建国',
					phone: '13900139000',
					idNumber: respondentId,
					ethnicity: '03',
					occupation: '个体户',
					workplace: '东村小卖部'
				},
				agent: { name: '赵律师', phone: '13700137000', scope: 'special' }
			},
			[],
			null
		);
		expect(await app.db.select({ n: count() }).from(caseEvents).where(eq(caseEvents.caseId, caseId))).toEqual(events);
		expect((await readPowerOfAttorneyFile(app.db, caseId, respondent.id))?.sha256).toBe(file!.sha256);
	});

	test('refuses a power of attorney that is not a PDF or a photo, and changes nothing', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const [applicant] = (await getCase(app.db, network.eastMediator, caseId)).parties;
		const files = await countOf(app, storedFiles);
		await expectAppError(
			updateParty(
				app,
				network.eastMediator,
				{
					caseId,
					partyId: applicant.id,
					party: { name: '李秀英改', phone: '13800138000' },
					agent: { name: '赵律师', scope: 'general' }
				},
				[text()],
				null
			),
			'VALIDATION',
			{ powerOfAttorney: ['scan_type'] }
		);
		expect(await countOf(app, storedFiles)).toBe(files);
		const [row] = await app.db.select().from(caseParties).where(eq(caseParties.id, applicant.id));
		expect(row).toMatchObject({ name: '李秀英', agentName: null });
	});

	test('is for the mediators of the case: an expert or another village’s mediator cannot', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const [applicant] = (await getCase(app.db, network.eastMediator, caseId)).parties;
		const edit = { caseId, partyId: applicant.id, party: { name: '别人' } };
		await expectAppError(updateParty(app, network.expert, edit, [], null), 'FORBIDDEN');
		await expectAppError(updateParty(app, network.westMediator, edit, [], null), 'NOT_FOUND');
		await expectAppError(
			updateParty(app, network.eastMediator, { ...edit, party: { name: '李秀英', idNumber: '123' } }, [], null),
			'VALIDATION',
			{ 'party.idNumber': ['invalid'] }
		);
	});
});

describe('who reads an ID number', () => {
	test('the committee reads it whole; an invited expert and the tracking page see it masked', async ({
		app,
		network
	}) => {
		const created = await applyOnline(app, fullApplication(network.nodes.east.id), [], null);
		const masked = `${applicantId.slice(0, 6)}********${applicantId.slice(-4)}`;
		expect((await getCase(app.db, network.eastMediator, created.caseId)).parties[0].details.idNumber).toBe(applicantId);
		expect((await getCase(app.db, network.eastAdmin, created.caseId)).parties[0].details.idNumber).toBe(applicantId);

		await inviteExpert(app, network.eastMediator, { caseId: created.caseId, expertId: network.expert.id }, null);
		const seenByExpert = await getCase(app.db, network.expert, created.caseId);
		expect(seenByExpert.parties[0].details).toMatchObject({ idNumber: masked, phone: null, address: null });
		expect(seenByExpert.parties[1].details.creditCode).toBe(factoryCode);
		expect(JSON.stringify(seenByExpert)).not.toContain(applicantId);

		const tracked = await getTrackedCase(app.db, created.trackingToken!);
		expect(tracked.parties).toEqual([
			{ side: 'applicant', name: '李秀英', maskedIdNumber: masked },
			{ side: 'respondent', name: '东村建材有限公司', maskedIdNumber: null }
		]);
		expect(JSON.stringify(tracked)).not.toContain(applicantId);
	});

	test('no log line prints one, whether in a field or in an error message', () => {
		const lines: string[] = [];
		const log = createLogger({ logLevel: 'info' }, { write: (line: string) => void lines.push(line) });
		log.info({ party: { name: '李秀英', idNumber: 'E12345678' }, idNumber: applicantId }, 'party');
		log.info({ form: { applicant: { idNumber: applicantId } } }, 'form');
		log.error({ err: new Error(`Failed query: insert into case_parties ... params: 李秀英,${applicantId}`) }, 'failed');
		log.info(`applicant ${applicantId.toLowerCase()} applied`);
		const output = lines.join('');
		expect(lines).toHaveLength(4);
		expect(output).not.toContain(applicantId);
		expect(output).not.toContain(applicantId.toLowerCase());
		expect(output).not.toContain('E12345678');
		expect(output).toContain(`${applicantId.slice(0, 6)}********${applicantId.slice(-4)}`);
	});
});
