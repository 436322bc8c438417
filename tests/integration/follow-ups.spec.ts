import { and, asc, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import {
	caseEvents,
	cases,
	committees,
	followUpAnswers,
	followUps,
	sealedAgreements,
	sealedDocuments
} from '#server/db/schema.ts';
import { recordOralAgreement } from '#server/documents/record-oral-agreement.ts';
import type { DomainEventMap } from '#server/events/domain-events.ts';
import { answerFollowUp, getTrackedFollowUp } from '#server/follow-ups/answer-follow-up.ts';
import { listFollowUpDelays, setFollowUpDelays } from '#server/follow-ups/follow-up-delays.ts';
import { listCaseFollowUps } from '#server/follow-ups/list-case-follow-ups.ts';
import { listDueFollowUps } from '#server/follow-ups/list-due-follow-ups.ts';
import { recordFollowUp } from '#server/follow-ups/record-follow-up.ts';
import { scheduleFollowUp } from '#server/follow-ups/schedule-follow-up.ts';
import { verifyDocumentId } from '#server/signing/verification/verify-sealed-document.ts';
import { addDays, dayOf, DEFAULT_FOLLOW_UP_DAYS } from '#shared/follow-ups.ts';
import type { Actor } from '#shared/roles.ts';
import {
	followUpRecord,
	recordPhoneFollowUp,
	VISITOR_PASSWORD,
	VISITOR_SIGNATURE,
	withVisitorPassword
} from '../support/follow-up.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import { setUpCase, test, type CaseSetUp } from '../support/mediation-case.ts';
import { pdfsig, pdftotext } from '../support/poppler.ts';
import { recordSealedAgreement } from '../support/sealed-agreement.ts';

const DAY_MS = 86_400_000;
/** Noon in China, `days` from today: a moment safely inside that day. */
const noonIn = (days: number) => new Date(Date.parse(`${addDays(dayOf(new Date()), days)}T12:00:00+08:00`));

/** Collects the follow-up events the app announces from now on. */
function listen(app: App) {
	const heard: { event: string; payload: DomainEventMap['follow_up.due'] | DomainEventMap['follow_up.recorded'] }[] =
		[];
	for (const event of ['follow_up.scheduled', 'follow_up.due', 'follow_up.recorded', 'follow_up.answered'] as const) {
		app.events.on(event, (payload) => void heard.push({ event, payload: payload as never }));
	}
	return heard;
}

const followUpsOf = (app: App, caseId: string) =>
	app.db.select().from(followUps).where(eq(followUps.caseId, caseId)).orderBy(asc(followUps.seq));

const actionsOf = async (app: App, caseId: string) =>
	(await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.seq)).map(
		(event) => event.action
	);

/**
 * The case's agreement, sealed `daysAgo` days ago (sealed now, with a key valid now, and its day
 * moved back); its first follow-up set by the upkeep's sweep.
 */
async function agreedDaysAgo(app: App, admin: Actor, kase: CaseSetUp, daysAgo: number) {
	const { id } = await recordSealedAgreement(app, admin, { caseId: kase.caseId });
	const sealedAt = new Date(Date.now() - daysAgo * DAY_MS);
	await app.db.update(sealedAgreements).set({ sealedAt }).where(eq(sealedAgreements.id, id));
	await app.followUps.sweep();
	const [first] = await followUpsOf(app, kase.caseId);
	return { ...first, sealedAt };
}

describe('follow-up visits (回访)', () => {
	test("fall due the committee's number of days after the agreement took effect, set once and announced once", async ({
		app,
		network,
		kase
	}) => {
		const heard = listen(app);
		expect(
			(await listFollowUpDelays(app.db, network.admin)).find((c) => c.name === '东村人民调解委员会')
		).toMatchObject({
			days: DEFAULT_FOLLOW_UP_DAYS
		});
		const delays = (await listFollowUpDelays(app.db, network.admin)).map((c) => ({
			committeeId: c.committeeId,
			days: c.committeeId === network.committees.east.id ? '14' : String(c.days)
		}));
		await setFollowUpDelays(app, network.admin, { committees: delays });

		const { sealedAt } = await agreedDaysAgo(app, network.admin, kase, 20);
		await app.followUps.sweep();
		const [first, ...others] = await followUpsOf(app, kase.caseId);
		expect(others).toEqual([]);
		expect(first).toMatchObject({ seq: 1, basis: 'agreement', dueOn: addDays(dayOf(sealedAt), 14), recordedAt: null });
		expect(first.dueAnnouncedAt).not.toBeNull();
		expect(heard.map((h) => h.event)).toEqual(['follow_up.scheduled', 'follow_up.due']);
		expect(heard[1].payload).toMatchObject({ caseId: kase.caseId, followUpId: first.id, dueOn: first.dueOn });
		expect((await actionsOf(app, kase.caseId)).filter((a) => a.startsWith('follow_up.'))).toEqual([
			'follow_up.scheduled'
		]);
		// The sweep does not go back beyond a year: an agreement of long ago gets no overdue visit.
		const longAgo = await setUpCase(app, network);
		await agreedDaysAgo(app, network.admin, longAgo, 400);
		expect(await followUpsOf(app, longAgo.caseId)).toEqual([]);
	});

	test("an oral agreement's follow-up falls due from the day it was reached, set as it is registered", async ({
		app,
		network,
		kase
	}) => {
		await withVisitorPassword(app, network.eastMediator.id);
		await app.db
			.update(cases)
			.set({ createdAt: new Date(Date.now() - 10 * DAY_MS) })
			.where(eq(cases.id, kase.caseId));
		const reachedOn = addDays(dayOf(new Date()), -3);
		await recordOralAgreement(
			app,
			network.eastMediator,
			{
				caseId: kase.caseId,
				partyIds: [kase.applicant.id],
				matter: '排水沟砌墙纠纷。',
				terms: '王建国拆除砌墙。',
				performance: '本月底前拆除。',
				reachedOn,
				password: VISITOR_PASSWORD
			},
			VISITOR_SIGNATURE,
			CLIENT
		);
		expect(await followUpsOf(app, kase.caseId)).toMatchObject([
			{ seq: 1, basis: 'agreement', dueOn: addDays(reachedOn, DEFAULT_FOLLOW_UP_DAYS) }
		]);
	});

	test("the delay is an installation admin's setting, 1 to 365 days, refused whole when one is wrong", async ({
		app,
		network
	}) => {
		const before = await listFollowUpDelays(app.db, network.admin);
		const rows = before.map((c) => ({ committeeId: c.committeeId, days: '30' }));
		await expectAppError(
			setFollowUpDelays(app, network.admin, {
				committees: [{ ...rows[0], days: '0' }, { ...rows[1], days: '366' }, { ...rows[2], days: 'soon' }, rows[3]]
			}),
			'VALIDATION',
			{ 'committees.0.days': ['invalid'], 'committees.1.days': ['invalid'], 'committees.2.days': ['invalid'] }
		);
		await expectAppError(
			setFollowUpDelays(app, network.admin, { committees: [{ committeeId: crypto.randomUUID(), days: '10' }] }),
			'NOT_FOUND'
		);
		await expectAppError(setFollowUpDelays(app, network.eastAdmin, { committees: rows }), 'FORBIDDEN');
		await expectAppError(setFollowUpDelays(app, network.eastMediator, { committees: rows }), 'FORBIDDEN');
		expect(await listFollowUpDelays(app.db, network.admin)).toEqual(before);
		const [east] = await app.db.select().from(committees).where(eq(committees.id, network.committees.east.id));
		expect(east.followUpDays).toBe(DEFAULT_FOLLOW_UP_DAYS);
	});

	test('go from upcoming to due to overdue by the calendar, and to recorded by the record', async ({
		app,
		network,
		kase
	}) => {
		const first = await agreedDaysAgo(app, network.admin, kase, 0);
		const due = first.dueOn;
		const stateOn = async (now: Date) =>
			(await listCaseFollowUps(app.db, network.eastMediator, kase.caseId, now)).followUps[0];
		expect(await stateOn(new Date())).toMatchObject({ state: 'upcoming', daysOverdue: -DEFAULT_FOLLOW_UP_DAYS });
		expect(await stateOn(noonIn(DEFAULT_FOLLOW_UP_DAYS - 7))).toMatchObject({ state: 'due', daysOverdue: -7 });
		expect(await stateOn(noonIn(DEFAULT_FOLLOW_UP_DAYS))).toMatchObject({ state: 'due', daysOverdue: 0 });
		expect(await stateOn(noonIn(DEFAULT_FOLLOW_UP_DAYS + 2))).toMatchObject({
			state: 'overdue',
			daysOverdue: 2,
			dueOn: due
		});

		await recordPhoneFollowUp(app, network.eastMediator, kase);
		const after = await listCaseFollowUps(
			app.db,
			network.eastMediator,
			kase.caseId,
			noonIn(DEFAULT_FOLLOW_UP_DAYS + 2)
		);
		expect(after.followUps).toMatchObject([
			{
				seq: 1,
				state: 'recorded',
				record: {
					method: 'phone',
					performance: 'partly',
					satisfaction: 4,
					lawsuit: false,
					visitors: [network.eastMediator.displayName]
				}
			}
		]);
		expect(after.mayVisit).toBe(true);
		expect((await listCaseFollowUps(app.db, network.townMediator, kase.caseId)).mayVisit).toBe(false);
		await expectAppError(listCaseFollowUps(app.db, network.westMediator, kase.caseId), 'NOT_FOUND');
	});

	test('a party answers a due follow-up once, corrects it until it is recorded, and the record prints it', async ({
		app,
		network,
		kase
	}) => {
		const heard = listen(app);
		const first = await agreedDaysAgo(app, network.admin, kase, 40);
		const token = kase.trackingToken;
		const answer = { performance: 'partly', satisfaction: '3', stillInDispute: 'yes', comment: '墙只拆了一半。' };

		await expectAppError(answerFollowUp(app, 'not-a-token', answer, null), 'NOT_FOUND');
		await expectAppError(
			answerFollowUp(app, token, { performance: 'maybe', satisfaction: '6', comment: '长'.repeat(501) }, null),
			'VALIDATION',
			{
				performance: ['invalid'],
				satisfaction: ['invalid'],
				stillInDispute: ['required'],
				comment: ['too_long']
			}
		);
		expect(await app.db.$count(followUpAnswers)).toBe(0);

		expect(await answerFollowUp(app, token, answer, CLIENT.ip)).toEqual({ followUpId: first.id, corrected: false });
		expect(
			await answerFollowUp(app, token, { ...answer, performance: 'not', comment: '其实还没动工。' }, CLIENT.ip)
		).toEqual({ followUpId: first.id, corrected: true });
		const answers = await app.db.select().from(followUpAnswers);
		expect(answers).toMatchObject([
			{
				followUpId: first.id,
				partyId: kase.applicant.id,
				performance: 'not',
				satisfaction: 3,
				stillInDispute: true,
				comment: '其实还没动工。'
			}
		]);
		expect(answers[0].updatedAt.getTime()).toBeGreaterThanOrEqual(answers[0].answeredAt.getTime());
		expect((await getTrackedFollowUp(app.db, token)).answer).toMatchObject({
			performance: 'not',
			stillInDispute: true
		});
		expect((await actionsOf(app, kase.caseId)).filter((a) => a.startsWith('follow_up.answer'))).toEqual([
			'follow_up.answered',
			'follow_up.answer_corrected'
		]);
		expect(heard.filter((h) => h.event === 'follow_up.answered')).toHaveLength(2);

		// The mediator sees it on the case page; the party sees no one else's.
		const shown = await listCaseFollowUps(app.db, network.eastMediator, kase.caseId);
		expect(shown.followUps[0].answers).toMatchObject([
			{ party: kase.applicant.name, performance: 'not', satisfaction: 3 }
		]);
		expect((await listCaseFollowUps(app.db, network.partyUser, kase.caseId)).followUps[0].answers).toEqual([]);

		const { documentId } = await recordPhoneFollowUp(app, network.eastMediator, kase, {
			nextDueOn: addDays(dayOf(new Date()), 14)
		});
		const [document] = await app.db.select().from(sealedDocuments).where(eq(sealedDocuments.id, documentId));
		const text = (await pdftotext(new Uint8Array(document.pdf))).replace(/\s+/g, '');
		expect(text).toContain('当事人线上答复');
		expect(text).toContain(`${kase.applicant.name}：未履行；一般；仍有争议；其实还没动工。`);

		// Recorded: the answer is kept as it was; the next follow-up is not due yet, so nothing is open to answers.
		await expectAppError(answerFollowUp(app, token, answer, null), 'CONFLICT');
		expect((await app.db.select().from(followUpAnswers))[0].performance).toBe('not');
		const tracked = await getTrackedFollowUp(app.db, token);
		expect(tracked).toMatchObject({
			recorded: 1,
			answer: null,
			followUp: { seq: 2, state: 'upcoming', answerable: false }
		});
		// Opened to answers when it comes due.
		expect(await answerFollowUp(app, token, answer, null, noonIn(14))).toMatchObject({ corrected: false });
	});

	test('a party may not answer a follow-up before it is due', async ({ app, network, kase }) => {
		await agreedDaysAgo(app, network.admin, kase, 0);
		await expectAppError(
			answerFollowUp(app, kase.trackingToken, { performance: 'fully', satisfaction: '5', stillInDispute: 'no' }, null),
			'CONFLICT'
		);
		const { followUp } = await getTrackedFollowUp(app.db, kase.trackingToken);
		expect(followUp).toMatchObject({
			state: 'upcoming',
			answerable: false,
			dueOn: addDays(dayOf(new Date()), DEFAULT_FOLLOW_UP_DAYS)
		});
		expect(await app.db.$count(followUpAnswers)).toBe(0);
	});

	test("is recorded as a sealed 回访记录 with the note's fields, signed by the visitor, the next visit opened", async ({
		app,
		network,
		kase
	}) => {
		const heard = listen(app);
		await agreedDaysAgo(app, network.admin, kase, 35);
		const next = addDays(dayOf(new Date()), 10);
		const { followUpId, documentId } = await recordPhoneFollowUp(app, network.eastMediator, kase, {
			coVisitorIds: [network.eastMediator2.id],
			nextDueOn: next
		});

		const [first, second] = await followUpsOf(app, kase.caseId);
		expect(first).toMatchObject({
			id: followUpId,
			documentId,
			recordedById: network.eastMediator.id,
			method: 'phone',
			place: null,
			partyIds: [kase.applicant.id, kase.respondent.id],
			visitorIds: [network.eastMediator.id, network.eastMediator2.id],
			performance: 'partly',
			satisfaction: 4,
			lawsuit: false
		});
		expect(second).toMatchObject({
			seq: 2,
			basis: 'next_visit',
			dueOn: next,
			scheduledById: network.eastMediator.id,
			recordedAt: null
		});

		const [document] = await app.db.select().from(sealedDocuments).where(eq(sealedDocuments.id, documentId));
		expect(document.kind).toBe('follow_up_record');
		const pdf = new Uint8Array(document.pdf);
		const text = (await pdftotext(pdf)).replace(/\s+/g, '');
		for (const expected of [
			'人民调解回访记录',
			'第1次回访',
			'调解协议：人民调解协议书',
			kase.applicant.name,
			kase.respondent.name,
			'回访方式：电话回访',
			`回访人：${network.eastMediator.displayName}、${network.eastMediator2.displayName}`,
			'协议履行情况：部分履行',
			'当事人满意度：满意',
			'协议达成后有无起诉：无',
			'发现的纠纷隐患：王建国尚未拆除砌墙',
			'采取的措施：电话督促王建国',
			'下次回访',
			'回访人（签名）',
			'东村人民调解委员会'
		])
			expect(text).toContain(expected);
		expect(await pdfsig(pdf)).toMatch(/Signature Validation: Signature is Valid/);
		expect(await pdfsig(pdf)).toMatch(/Total document signed/);
		expect(await verifyDocumentId(app.db, { document: documentId })).toMatchObject({
			status: 'authentic',
			kind: 'follow_up_record'
		});
		expect((await actionsOf(app, kase.caseId)).slice(-3)).toEqual([
			'document.sealed',
			'follow_up.recorded',
			'follow_up.scheduled'
		]);
		expect(heard.map((h) => h.event).slice(-2)).toEqual(['follow_up.recorded', 'follow_up.scheduled']);

		// The second visit, in person, is a document of its own: the first stays current.
		await recordPhoneFollowUp(app, network.eastMediator2, kase, {
			method: 'in_person',
			place: '东村12号李秀英家',
			performance: 'fully',
			satisfaction: '5',
			risks: '',
			steps: ''
		});
		const records = await app.db
			.select()
			.from(sealedDocuments)
			.where(and(eq(sealedDocuments.caseId, kase.caseId), eq(sealedDocuments.kind, 'follow_up_record')));
		expect(records).toHaveLength(2);
		expect(records.every((record) => record.supersededAt === null)).toBe(true);
		const secondText = (await pdftotext(new Uint8Array(records.find((r) => r.id !== documentId)!.pdf))).replace(
			/\s+/g,
			''
		);
		expect(secondText).toContain('回访方式：上门回访（地点：东村12号李秀英家）');
		expect(secondText).toContain('发现的纠纷隐患：无');
		expect(await followUpsOf(app, kase.caseId)).toHaveLength(2);
	});

	test('only a visitor of the case records, with their password and sound fields; a refusal changes nothing', async ({
		app,
		network,
		kase
	}) => {
		const record = (actor: Parameters<typeof recordFollowUp>[1], fields: Record<string, unknown> = {}) =>
			recordFollowUp(app, actor, followUpRecord(kase, fields), VISITOR_SIGNATURE, CLIENT);
		await withVisitorPassword(app, network.eastMediator.id);
		await withVisitorPassword(app, network.townMediator.id);
		await expectAppError(record(network.eastMediator), 'CONFLICT');

		await agreedDaysAgo(app, network.admin, kase, 31);
		const footprint = async () => ({
			followUps: await followUpsOf(app, kase.caseId),
			documents: await app.db.$count(sealedDocuments, eq(sealedDocuments.caseId, kase.caseId)),
			actions: await actionsOf(app, kase.caseId)
		});
		const before = await footprint();

		await expectAppError(record(network.westMediator), 'NOT_FOUND');
		await expectAppError(record(network.townMediator), 'FORBIDDEN');
		await expectAppError(record(network.expert), 'FORBIDDEN');
		await expectAppError(record(network.partyUser), 'FORBIDDEN');
		await expectAppError(record(network.eastAdmin), 'FORBIDDEN');
		await expectAppError(
			record(network.eastMediator, {
				partyIds: [],
				method: 'in_person',
				place: '',
				visitedOn: '',
				performance: '',
				satisfaction: '9',
				lawsuit: 'yes',
				risks: '险'.repeat(1001),
				password: ''
			}),
			'VALIDATION',
			{
				partyIds: ['required'],
				visitedOn: ['required'],
				performance: ['required'],
				satisfaction: ['invalid'],
				risks: ['too_long'],
				password: ['required']
			}
		);
		await expectAppError(record(network.eastMediator, { method: 'in_person', lawsuit: 'yes' }), 'VALIDATION', {
			place: ['required'],
			lawsuitNote: ['required']
		});
		await expectAppError(record(network.eastMediator, { nextDueOn: dayOf(new Date()) }), 'VALIDATION', {
			nextDueOn: ['in_past']
		});
		await expectAppError(record(network.eastMediator, { visitedOn: addDays(dayOf(new Date()), 1) }), 'VALIDATION', {
			visitedOn: ['invalid']
		});
		await expectAppError(record(network.eastMediator, { visitedOn: addDays(dayOf(new Date()), -40) }), 'VALIDATION', {
			visitedOn: ['invalid']
		});
		await expectAppError(record(network.eastMediator, { coVisitorIds: [network.westMediator.id] }), 'VALIDATION', {
			coVisitorIds: ['invalid']
		});
		await expectAppError(record(network.eastMediator, { partyIds: [crypto.randomUUID()] }), 'VALIDATION', {
			partyIds: ['invalid']
		});
		await expectAppError(
			recordFollowUp(app, network.eastMediator, followUpRecord(kase), new Uint8Array([1, 2, 3]), CLIENT),
			'VALIDATION'
		);
		expect(await footprint()).toEqual(before);

		await expectAppError(record(network.eastMediator, { password: 'wrong-password' }), 'INVALID_CREDENTIALS');
		const after = await footprint();
		expect(after).toEqual({ ...before, actions: [...before.actions, 'follow_up.sign_refused'] });

		const { documentId } = await record(network.eastMediator);
		expect(await verifyDocumentId(app.db, { document: documentId })).toMatchObject({ status: 'authentic' });
	});

	test('a visitor sets another visit when none is open, a day ahead', async ({ app, network, kase }) => {
		await agreedDaysAgo(app, network.admin, kase, 31);
		const ahead = addDays(dayOf(new Date()), 20);
		await expectAppError(
			scheduleFollowUp(app, network.eastMediator, { caseId: kase.caseId, dueOn: ahead }, null),
			'CONFLICT'
		);
		await recordPhoneFollowUp(app, network.eastMediator, kase);
		await expectAppError(
			scheduleFollowUp(app, network.eastMediator, { caseId: kase.caseId, dueOn: addDays(dayOf(new Date()), -1) }, null),
			'VALIDATION',
			{ dueOn: ['in_past'] }
		);
		await expectAppError(
			scheduleFollowUp(app, network.townMediator, { caseId: kase.caseId, dueOn: ahead }, null),
			'FORBIDDEN'
		);
		await expectAppError(
			scheduleFollowUp(app, network.westMediator, { caseId: kase.caseId, dueOn: ahead }, null),
			'NOT_FOUND'
		);
		await scheduleFollowUp(app, network.eastMediator2, { caseId: kase.caseId, dueOn: ahead }, null);
		expect((await followUpsOf(app, kase.caseId)).map((f) => [f.seq, f.dueOn, f.basis])).toEqual([
			[1, expect.any(String), 'agreement'],
			[2, ahead, 'next_visit']
		]);
	});

	test("overdue and soon-due follow-ups show in their mediators' work list, most overdue first", async ({
		app,
		network,
		kase
	}) => {
		await agreedDaysAgo(app, network.admin, kase, 33);
		const other = await setUpCase(app, network);
		await agreedDaysAgo(app, network.admin, other, 31);

		const list = await listDueFollowUps(app.db, network.eastMediator);
		expect(list).toMatchObject([
			{ caseId: kase.caseId, seq: 1, daysOverdue: 3, parties: `${kase.applicant.name}、${kase.respondent.name}` },
			{ caseId: other.caseId, seq: 1, daysOverdue: 1 }
		]);
		expect(await listDueFollowUps(app.db, network.eastMediator2)).toHaveLength(2);
		// Not assigned to the case: another mediator's work.
		expect(await listDueFollowUps(app.db, network.townMediator)).toEqual([]);
		expect(await listDueFollowUps(app.db, network.westMediator)).toEqual([]);
		// Four weeks earlier it was not due yet, nor within the week ahead.
		expect(await listDueFollowUps(app.db, network.eastMediator, noonIn(-28))).toEqual([]);
		expect(await listDueFollowUps(app.db, network.eastMediator, noonIn(-8))).toMatchObject([
			{ caseId: kase.caseId, daysOverdue: -5 },
			{ caseId: other.caseId, daysOverdue: -7 }
		]);

		await recordPhoneFollowUp(app, network.eastMediator, kase);
		expect(await listDueFollowUps(app.db, network.eastMediator)).toMatchObject([{ caseId: other.caseId }]);
	});
});
