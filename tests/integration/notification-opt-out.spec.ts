import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { getCase } from '#server/cases/get-case.ts';
import { getTrackedCase } from '#server/cases/track-case.ts';
import { caseParties, notificationPreferences } from '#server/db/schema.ts';
import {
	getTrackedSmsPreferences,
	saveTrackedSmsPreferences,
	SMS_PREFERENCE_CHANGES_PER_DAY
} from '#server/notifications/tracked-sms-preferences.ts';
import { OPTIONAL_KINDS } from '#shared/notifications.ts';
import { intakeForm, type Network } from '../support/case-network.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import { actionsOf, setUpCase } from '../support/mediation-case.ts';
import { loggedSms, queueSettled, test } from '../support/notifications.ts';

const APPLICANT_PHONE = '13800138000';
const RESPONDENT_PHONE = '13900139000';

/** The accepted case of 李秀英 (with an account) against 王建国 (reached only by SMS), and both tracking links. */
async function trackedCase(app: App, network: Network) {
	const kase = await setUpCase(app, network);
	const detail = await getCase(app.db, network.eastMediator, kase.caseId);
	const respondentToken = detail.parties.find((p) => p.side === 'respondent')!.trackingToken!;
	return { ...kase, applicantToken: kase.trackingToken, respondentToken };
}

async function storedOptOuts(app: App) {
	const rows = await app.db.select().from(notificationPreferences);
	return Object.fromEntries(rows.map((row) => [row.subject, [...row.optOut].sort()]));
}

const allBut = (...off: string[]) => OPTIONAL_KINDS.filter((kind) => !off.includes(kind));

describe('a party without an account chooses their SMS on the tracking page', () => {
	test('a reminder turned off is kept suppressed for that number and not sent; what they must know still goes', async ({
		app,
		network
	}) => {
		const kase = await trackedCase(app, network);
		expect(await getTrackedSmsPreferences(app.db, kase.respondentToken)).toEqual({
			reachable: true,
			maskedPhone: '139****9000',
			receive: OPTIONAL_KINDS
		});

		await saveTrackedSmsPreferences(app, kase.respondentToken, { receive: allBut('followup_survey') }, CLIENT.ip);
		expect(await storedOptOuts(app)).toEqual({ [`phone:${RESPONDENT_PHONE}`]: ['followup_survey'] });
		expect(await getTrackedSmsPreferences(app.db, kase.respondentToken)).toMatchObject({
			receive: allBut('followup_survey')
		});

		await app.events.emit('follow_up.due', { caseId: kase.caseId, followUpId: randomUUID(), dueOn: '2030-01-01' });
		await app.events.emit('agreement.ready_to_sign', { caseId: kase.caseId, draftId: randomUUID(), versionId: 'v1' });
		const sms = (await queueSettled(app, kase.caseId)).filter((m) => m.channel === 'sms');
		const to = (phone: string, kind: string) => sms.find((m) => m.address === phone && m.kind === kind);
		expect(to(RESPONDENT_PHONE, 'followup_survey')).toMatchObject({ status: 'suppressed', errorCode: 'OPTED_OUT' });
		expect(to(RESPONDENT_PHONE, 'agreement_ready')).toMatchObject({ status: 'delivered' });
		// The other party's number is theirs to choose for.
		expect(to(APPLICANT_PHONE, 'followup_survey')).toMatchObject({ status: 'delivered' });
		const sent = loggedSms(app).filter((m) => m.to === RESPONDENT_PHONE);
		expect(sent.map((m) => m.id)).not.toContain(to(RESPONDENT_PHONE, 'followup_survey')!.id);
		expect(sent.map((m) => m.id)).toContain(to(RESPONDENT_PHONE, 'agreement_ready')!.id);

		// The choice is in the case's audit chain for the mediator, by who made it and never by number.
		const events = await actionsOf(app, kase.caseId);
		const changed = events.filter((e) => e.action === 'notification.preferences_changed');
		expect(changed).toHaveLength(1);
		expect(changed[0]).toMatchObject({
			actorId: null,
			actorLabel: '王建国',
			ip: CLIENT.ip,
			data: { partyId: kase.respondent.id, optOut: ['followup_survey'] }
		});
		expect(JSON.stringify(changed[0])).not.toContain(RESPONDENT_PHONE);
		expect(await verifyCaseChain(app.db, kase.caseId)).toEqual({ intact: true, events: events.length });
		// The other side's view of the case does not show it.
		const seenByApplicant = await getTrackedCase(app.db, kase.applicantToken);
		expect(seenByApplicant.timeline.map((e) => e.action)).not.toContain('notification.preferences_changed');

		// Saving the same choice again changes nothing and records nothing; turning all back on is recorded.
		await saveTrackedSmsPreferences(app, kase.respondentToken, { receive: allBut('followup_survey') }, CLIENT.ip);
		expect(await actionsOf(app, kase.caseId)).toHaveLength(events.length);
		await saveTrackedSmsPreferences(app, kase.respondentToken, { receive: OPTIONAL_KINDS }, CLIENT.ip);
		expect(await storedOptOuts(app)).toEqual({ [`phone:${RESPONDENT_PHONE}`]: [] });
		expect((await actionsOf(app, kase.caseId)).at(-1)).toMatchObject({
			action: 'notification.preferences_changed',
			data: { optOut: [] }
		});
	});

	test('a link changes its own party’s number only: not one the form names, and a forged link nothing', async ({
		app,
		network
	}) => {
		const kase = await trackedCase(app, network);
		const other = await applyOnline(
			app,
			intakeForm(network.nodes.east.id, {
				applicant: { name: '赵小红', phone: '13700137000', address: '东村3号' },
				respondents: [{ name: '钱大海', phone: '13600136000' }]
			}),
			[],
			null
		);

		// A number slipped into the form is not read: the link's party's own is changed.
		await saveTrackedSmsPreferences(
			app,
			kase.applicantToken,
			{ receive: [], phone: RESPONDENT_PHONE, subject: `phone:${RESPONDENT_PHONE}` },
			CLIENT.ip
		);
		await saveTrackedSmsPreferences(app, other.trackingToken!, { receive: allBut('performance_due') }, CLIENT.ip);
		expect(await storedOptOuts(app)).toEqual({
			[`phone:${APPLICANT_PHONE}`]: [...OPTIONAL_KINDS].sort(),
			'phone:13700137000': ['performance_due']
		});
		expect(await getTrackedSmsPreferences(app.db, kase.respondentToken)).toMatchObject({ receive: OPTIONAL_KINDS });

		const before = await storedOptOuts(app);
		const eventsBefore = await actionsOf(app, kase.caseId);
		const lastChanged = kase.respondentToken.slice(0, -1) + (kase.respondentToken.endsWith('A') ? 'B' : 'A');
		for (const forged of ['A'.repeat(32), lastChanged, 'short', '../' + 'a'.repeat(30)]) {
			await expectAppError(saveTrackedSmsPreferences(app, forged, { receive: [] }, CLIENT.ip), 'NOT_FOUND');
			await expectAppError(getTrackedSmsPreferences(app.db, forged), 'NOT_FOUND');
		}
		expect(await storedOptOuts(app)).toEqual(before);
		expect(await actionsOf(app, kase.caseId)).toEqual(eventsBefore);
	});

	test('bad form input is refused at its field and changes nothing; a landline has nothing to choose', async ({
		app,
		network
	}) => {
		const kase = await trackedCase(app, network);
		await saveTrackedSmsPreferences(app, kase.respondentToken, { receive: allBut('meeting_reminder_1h') }, CLIENT.ip);
		const before = await storedOptOuts(app);
		const eventsBefore = await actionsOf(app, kase.caseId);

		// Each refused with the field it is wrong in.
		const refused = [
			// A must-receive kind cannot be chosen at all, so none can be turned off.
			{ input: { receive: ['invitation_pin'] }, field: 'receive.0' },
			{ input: { receive: ['meeting_reminder_24h', 'no_such_kind'] }, field: 'receive.1' },
			{ input: { receive: 'meeting_reminder_24h' }, field: 'receive' },
			{ input: { receive: [...OPTIONAL_KINDS, ...OPTIONAL_KINDS] }, field: 'receive' },
			{ input: {}, field: 'receive' },
			{ input: null, field: '_' }
		];
		for (const { input, field } of refused) {
			const error = await expectAppError(
				saveTrackedSmsPreferences(app, kase.respondentToken, input, CLIENT.ip),
				'VALIDATION'
			);
			expect(Object.keys(error.fields ?? {})).toEqual([field]);
		}
		expect(await storedOptOuts(app)).toEqual(before);
		expect(await actionsOf(app, kase.caseId)).toEqual(eventsBefore);

		await app.db.update(caseParties).set({ phone: '0571-87654321' }).where(eq(caseParties.id, kase.respondent.id));
		expect(await getTrackedSmsPreferences(app.db, kase.respondentToken)).toEqual({ reachable: false });
		await expectAppError(saveTrackedSmsPreferences(app, kase.respondentToken, { receive: [] }, CLIENT.ip), 'CONFLICT');
		expect(await storedOptOuts(app)).toEqual(before);
	});

	test('a link changes its choices at most SMS_PREFERENCE_CHANGES_PER_DAY times a day; the next is refused, changing nothing', async ({
		app,
		network
	}) => {
		const kase = await trackedCase(app, network);
		for (let i = 0; i < SMS_PREFERENCE_CHANGES_PER_DAY; i++)
			await saveTrackedSmsPreferences(
				app,
				kase.applicantToken,
				{ receive: i % 2 ? [] : allBut('followup_survey') },
				CLIENT.ip
			);
		const before = await storedOptOuts(app);
		const eventsBefore = await actionsOf(app, kase.caseId);
		const error = await expectAppError(
			saveTrackedSmsPreferences(app, kase.applicantToken, { receive: allBut('performance_due') }, CLIENT.ip),
			'RATE_LIMITED'
		);
		expect(error.fields).toEqual({ receive: ['changed_too_often'] });
		expect(await storedOptOuts(app)).toEqual(before);
		expect(await actionsOf(app, kase.caseId)).toEqual(eventsBefore);
		// The other party's link is not held back by it.
		await saveTrackedSmsPreferences(app, kase.respondentToken, { receive: [] }, CLIENT.ip);
	});
});
