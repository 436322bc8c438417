import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { applyOnline } from '#server/cases/apply-online.ts';
import { caseParties, notificationPreferences, notificationSettings } from '#server/db/schema.ts';
import { Secret } from '#server/notifications/secret.ts';
import { addPerformanceItem } from '#server/performance/add-performance-item.ts';
import { cancelSession } from '#server/sessions/cancel-session.ts';
import { intakeForm } from '../support/case-network.ts';
import { CLIENT } from '../support/integration-test.ts';
import { inHours, scheduleMediation, setUpCase } from '../support/mediation-case.ts';
import { loggedSms, queueSettled, test } from '../support/notifications.ts';
import { recordSealedAgreement } from '../support/sealed-agreement.ts';

describe('notifications', () => {
	test('an online application is answered by SMS with its tracking link, sent once by the queue', async ({
		app,
		network
	}) => {
		const { caseId, trackingToken, number } = await applyOnline(app, intakeForm(network.nodes.east.id), [], CLIENT.ip);
		const messages = await queueSettled(app, caseId);
		expect(messages).toHaveLength(1);
		expect(messages[0]).toMatchObject({
			kind: 'application_received',
			channel: 'sms',
			address: '13800138000',
			status: 'delivered',
			provider: 'log',
			signature: '东村人民调解委员会',
			secret: null
		});
		expect(messages[0].body).toBe(
			`您的调解申请已收到，案号${number}。查看进度：https://tiaojie.example.gov.cn/track/${trackingToken}`
		);
		const sent = loggedSms(app);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ to: '13800138000', signName: '东村人民调解委员会', id: messages[0].id });

		// The same fact told again makes nothing new.
		await app.events.emit('party.link_issued', { caseId, trackingToken: new Secret(trackingToken!) });
		expect(await queueSettled(app, caseId)).toHaveLength(1);
		expect(loggedSms(app)).toHaveLength(1);
	});

	test('an invitation sends the link and, as the committee chose, the PIN apart; the PIN is never stored with the message', async ({
		app,
		network
	}) => {
		const kase = await setUpCase(app, network);
		await queueSettled(app, kase.caseId);
		const before = loggedSms(app).length;
		const scheduled = await scheduleMediation(app, network, kase);
		const respondentPin = scheduled.invitationOf('王建国').pin;
		const messages = (await queueSettled(app, kase.caseId)).filter((m) => m.kind.startsWith('invitation'));
		const toRespondent = messages.filter((m) => m.address === '13900139000');
		expect(toRespondent.map((m) => m.kind).sort()).toEqual(['invitation_link', 'invitation_pin']);
		for (const message of messages) {
			expect(JSON.stringify(message)).not.toContain(respondentPin);
			expect(message.secret).toBeNull();
		}
		const pinSms = loggedSms(app)
			.slice(before)
			.find((m) => m.to === '13900139000' && m.text.includes('口令为'))!;
		expect(pinSms.text).toContain(respondentPin);
		expect(toRespondent.find((m) => m.kind === 'invitation_pin')!.body).toContain('口令为******');

		// The committee asks for one message: link and PIN together.
		await app.db
			.insert(notificationSettings)
			.values({ committeeId: network.committees.east.id, pinDelivery: 'same_message' });
		const second = await scheduleMediation(app, network, kase, inHours(48));
		const together = (await queueSettled(app, kase.caseId)).filter(
			(m) => m.kind === 'invitation_issued' && m.address === '13900139000'
		);
		expect(together).toHaveLength(1);
		const sms = loggedSms(app).find((m) => m.id === together[0].id)!;
		expect(sms.text).toContain(second.invitationOf('王建国').pin);
		expect(sms.text).toContain(`/join/${second.invitationOf('王建国').token}`);
	});

	test('reminders are planned 24 h and 1 h ahead; a cancelled meeting is told and its reminders send nothing', async ({
		app,
		network
	}) => {
		const kase = await setUpCase(app, network);
		const scheduled = await scheduleMediation(app, network, kase, inHours(30));
		const planned = await app.notifications.queue.plannedReminders(scheduled.sessionId);
		expect(planned.map((r) => r.kind).sort()).toEqual(['meeting_reminder_1h', 'meeting_reminder_24h']);

		await cancelSession(app, network.eastMediator, { caseId: kase.caseId, sessionId: scheduled.sessionId }, null);
		const cancelled = (await queueSettled(app, kase.caseId)).filter((m) => m.kind === 'meeting_cancelled');
		expect(cancelled.map((m) => m.address ?? m.channel).sort()).toEqual(['13800138000', '13900139000', 'inapp']);

		// The reminder, run now (as its job would at its time), finds the meeting cancelled.
		const [session] = planned;
		expect(session).toBeDefined();
		const drafts = await import('#server/notifications/plan-messages.ts').then(({ planReminder }) =>
			planReminder(app, {
				sessionId: scheduled.sessionId,
				scheduledFor: new Date(Date.now() + 30 * 3_600_000).toISOString(),
				kind: 'meeting_reminder_24h'
			})
		);
		expect(drafts).toEqual([]);
	});

	test('a person who opted out of reminders gets none, but still gets what they must; a landline gets no SMS', async ({
		app,
		network
	}) => {
		const kase = await setUpCase(app, network);
		const scheduled = await scheduleMediation(app, network, kase, inHours(30));
		await app.db
			.insert(notificationPreferences)
			.values({ subject: 'phone:13900139000', optOut: ['meeting_reminder_24h', 'meeting_cancelled'] });
		await app.db.update(caseParties).set({ phone: '0571-87654321' }).where(eq(caseParties.id, kase.applicant.id));
		const { planReminder } = await import('#server/notifications/plan-messages.ts');
		const [session] = await app.notifications.queue.plannedReminders(scheduled.sessionId);
		expect(session).toBeDefined();
		const { mediationSessions } = await import('#server/db/schema.ts');
		const [row] = await app.db
			.select({ scheduledFor: mediationSessions.scheduledFor })
			.from(mediationSessions)
			.where(eq(mediationSessions.id, scheduled.sessionId));
		await app.notifications.tell(
			await planReminder(app, {
				sessionId: scheduled.sessionId,
				scheduledFor: row.scheduledFor.toISOString(),
				kind: 'meeting_reminder_24h'
			})
		);
		const reminders = (await queueSettled(app, kase.caseId)).filter((m) => m.kind === 'meeting_reminder_24h');
		expect(reminders.find((m) => m.address === '13900139000')).toMatchObject({
			status: 'suppressed',
			errorCode: 'OPTED_OUT'
		});
		// The applicant has an account: the inbox has it; the landline cannot take SMS.
		expect(reminders.find((m) => m.channel === 'inapp')).toMatchObject({ status: 'delivered' });
		expect(reminders.find((m) => m.address === '0571-87654321')).toBeUndefined();

		await cancelSession(app, network.eastMediator, { caseId: kase.caseId, sessionId: scheduled.sessionId }, null);
		const cancelled = (await queueSettled(app, kase.caseId)).filter((m) => m.kind === 'meeting_cancelled');
		// Mandatory: an opt-out does not hold.
		expect(cancelled.find((m) => m.address === '13900139000')).toMatchObject({ status: 'delivered' });
	});

	test('an agreement ready to sign, then sealed, tells each party where: the tracking page, or the case page of an account', async ({
		app,
		network
	}) => {
		const kase = await setUpCase(app, network);
		await app.events.emit('agreement.ready_to_sign', { caseId: kase.caseId, draftId: randomUUID(), versionId: 'v1' });
		await app.events.emit('agreement.sealed', { caseId: kase.caseId, sealedAgreementId: 'sealed-1' });
		// The same sealing told again is no new message.
		await app.events.emit('agreement.sealed', { caseId: kase.caseId, sealedAgreementId: 'sealed-1' });
		const messages = (await queueSettled(app, kase.caseId)).filter((m) => m.kind.startsWith('agreement'));
		const sms = messages.filter((m) => m.channel === 'sms');
		expect(sms.map((m) => `${m.kind} ${m.address}`).sort()).toEqual([
			'agreement_ready 13800138000',
			'agreement_ready 13900139000',
			'agreement_sealed 13800138000',
			'agreement_sealed 13900139000'
		]);
		// The applicant follows the case by the tracking link of the application; the inbox of their account has it too.
		expect(sms.find((m) => m.kind === 'agreement_sealed' && m.address === '13800138000')!.body).toContain(
			`/track/${kase.trackingToken}`
		);
		expect(
			messages
				.filter((m) => m.channel === 'inapp')
				.map((m) => m.kind)
				.sort()
		).toEqual(['agreement_ready', 'agreement_sealed']);
	});

	test('a performance item falling due or overdue, and a follow-up falling due, tell the parties', async ({
		app,
		network
	}) => {
		const kase = await setUpCase(app, network);
		await recordSealedAgreement(app, network.admin, { caseId: kase.caseId });
		const [party] = await app.db.select().from(caseParties).where(eq(caseParties.caseId, kase.caseId));
		const item = {
			caseId: kase.caseId,
			kind: 'payment',
			description: '赔偿款第一期',
			amount: '2000',
			dueOn: '2030-01-01',
			place: '银行转账',
			responsiblePartyId: party.id
		};
		const { itemId } = await addPerformanceItem(app, network.eastMediator, item, null);
		await app.events.emit('performance.item_due_soon', { caseId: kase.caseId, itemId, dueOn: item.dueOn });
		await app.events.emit('performance.item_overdue', { caseId: kase.caseId, itemId, dueOn: item.dueOn });
		await app.events.emit('follow_up.due', { caseId: kase.caseId, followUpId: randomUUID(), dueOn: item.dueOn });
		const sms = (await queueSettled(app, kase.caseId)).filter(
			(m) => m.channel === 'sms' && /^(performance|followup)/.test(m.kind)
		);
		expect(sms.map((m) => `${m.kind} ${m.address}`).sort()).toEqual([
			'followup_survey 13800138000',
			'followup_survey 13900139000',
			'performance_due 13800138000',
			'performance_due 13900139000',
			'performance_overdue 13800138000',
			'performance_overdue 13900139000'
		]);
		expect(sms.find((m) => m.kind === 'performance_overdue')!.body).toContain('赔偿款第一期');
	});
});
