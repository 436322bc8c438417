import { describe, expect } from 'vitest';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { getCase } from '#server/cases/get-case.ts';
import { getTrackedCase } from '#server/cases/track-case.ts';
import { resendNotification } from '#server/notifications/resend-notification.ts';
import { intakeForm } from '../support/case-network.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import { actionsOf } from '../support/mediation-case.ts';
import { loggedSms, queueSettled, test } from '../support/notifications.ts';

describe('a message sent again is recorded in the case’s audit chain', () => {
	test('by kind and channel, who resent it and to which party, never the number; the chain still verifies', async ({
		app,
		network
	}) => {
		const { caseId, trackingToken } = await applyOnline(app, intakeForm(network.nodes.east.id), [], CLIENT.ip);
		const [first] = await queueSettled(app, caseId);
		expect(first).toMatchObject({ kind: 'application_received', channel: 'sms', status: 'delivered' });
		const eventsBefore = await actionsOf(app, caseId);

		// Refused: nothing is sent and nothing recorded.
		await expectAppError(
			resendNotification(app, network.westMediator, { notificationId: first.id }, CLIENT.ip),
			'NOT_FOUND'
		);
		expect(await actionsOf(app, caseId)).toEqual(eventsBefore);

		const resentAs = await resendNotification(app, network.eastMediator, { notificationId: first.id }, CLIENT.ip);
		const messages = await queueSettled(app, caseId);
		expect(messages.find((m) => m.id === resentAs)).toMatchObject({ status: 'delivered', address: '13800138000' });
		expect(loggedSms(app).filter((m) => m.to === '13800138000')).toHaveLength(2);

		const events = await actionsOf(app, caseId);
		expect(events).toHaveLength(eventsBefore.length + 1);
		const resent = events.at(-1)!;
		expect(resent).toMatchObject({ action: 'notification.resent', actorId: network.eastMediator.id, ip: CLIENT.ip });
		expect(resent.data).toEqual({
			notificationId: first.id,
			resentAs,
			kind: 'application_received',
			channel: 'sms',
			partyId: first.casePartyId
		});
		expect(JSON.stringify(resent)).not.toContain('13800138000');
		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: true, events: events.length });

		// The committee's timeline lists it; the party's tracking page does not.
		const detail = await getCase(app.db, network.eastMediator, caseId);
		expect(detail.timeline.at(-1)).toMatchObject({ action: 'notification.resent', data: resent.data });
		const tracked = await getTrackedCase(app.db, trackingToken!);
		expect(tracked.timeline.map((e) => e.action)).not.toContain('notification.resent');

		// An admin resends from the list of failures: recorded the same way, the chain intact.
		await resendNotification(app, network.admin, { notificationId: resentAs }, null);
		const afterAdmin = await actionsOf(app, caseId);
		expect(afterAdmin.at(-1)).toMatchObject({ action: 'notification.resent', actorId: network.admin.id });
		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: true, events: afterAdmin.length });
	});
});
