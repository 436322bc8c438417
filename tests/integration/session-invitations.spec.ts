import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { trackingTokenHash } from '#server/cases/create-case.ts';
import { mediationSessions, participantSessions, sessionParticipants } from '#server/db/schema.ts';
import { describeInvitation } from '#server/sessions/describe-invitation.ts';
import { participantOf } from '#server/sessions/participant-of.ts';
import { reissueInvitation } from '#server/sessions/reissue-invitation.ts';
import { revokeInvitation } from '#server/sessions/revoke-invitation.ts';
import { intakeForm } from '../support/case-network.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import {
	actionsOf,
	HOUR,
	join,
	joinTokenOf,
	participantsOf,
	scheduleMediation,
	test,
	wrongPin
} from '../support/mediation-case.ts';

describe('joining by invitation', () => {
	test('the right PIN admits: a join lasting as long as the invitation, and a session.joined event with the address', async ({
		app,
		network,
		kase
	}) => {
		const { sessionId, invitationOf } = await scheduleMediation(app, network, kase);
		const invitation = invitationOf('王建国');

		const outcome = await join(app, invitation, invitation.pin);

		expect(outcome).toMatchObject({ joined: true, sessionId });
		const [joined] = await app.db.select().from(participantSessions);
		expect(joined).toMatchObject({
			id: trackingTokenHash(joinTokenOf(outcome)),
			participantId: invitation.participantId,
			ip: CLIENT.ip,
			userAgent: CLIENT.userAgent
		});
		const [row] = await app.db
			.select()
			.from(sessionParticipants)
			.where(eq(sessionParticipants.id, invitation.participantId));
		expect(joined.expiresAt).toEqual(row.inviteExpiresAt);
		expect(row.lastJoinedAt).toBeInstanceOf(Date);
		const last = (await actionsOf(app, kase.caseId)).at(-1)!;
		expect(last).toMatchObject({
			action: 'session.joined',
			actorId: null,
			actorLabel: '王建国',
			ip: CLIENT.ip,
			data: { sessionId, participantId: invitation.participantId, role: 'party', via: 'invitation' }
		});
		expect(await participantOf(app.db, sessionId, { joinToken: joinTokenOf(outcome) })).toMatchObject({
			participant: { id: invitation.participantId, role: 'party', displayName: '王建国' },
			session: { id: sessionId, status: 'scheduled', kind: 'mediation' }
		});
	});

	test('a wrong PIN says how many tries are left, each one an audit event; the fifth locks the invitation for good', async ({
		app,
		network,
		kase
	}) => {
		const { invitationOf } = await scheduleMediation(app, network, kase);
		const invitation = invitationOf('王建国');
		const wrong = wrongPin(invitation.pin);

		for (const attemptsLeft of [4, 3, 2, 1])
			expect(await join(app, invitation, wrong)).toEqual({ joined: false, state: 'wrong_pin', attemptsLeft });
		expect(await join(app, invitation, wrong)).toEqual({ joined: false, state: 'locked' });
		expect(await join(app, invitation, invitation.pin)).toEqual({ joined: false, state: 'locked' });

		expect(await app.db.select().from(participantSessions)).toEqual([]);
		const failures = (await actionsOf(app, kase.caseId)).filter((e) => e.action === 'session.pin_failed');
		expect(failures.map((e) => (e.data as { attemptsLeft: number }).attemptsLeft)).toEqual([4, 3, 2, 1, 0]);
		expect(failures[0]).toMatchObject({ actorLabel: '王建国', ip: CLIENT.ip });
		expect(await describeInvitation(app.db, invitation.token)).toMatchObject({ state: 'locked', attemptsLeft: 0 });
	});

	test('wrong PINs sent at once all count', async ({ app, network, kase }) => {
		const { invitationOf } = await scheduleMediation(app, network, kase);
		const invitation = invitationOf('王建国');
		const wrong = wrongPin(invitation.pin);

		const outcomes = await Promise.all(Array.from({ length: 7 }, () => join(app, invitation, wrong)));

		expect(outcomes.filter((o) => !o.joined && o.state === 'wrong_pin')).toHaveLength(4);
		expect(outcomes.filter((o) => !o.joined && o.state === 'locked')).toHaveLength(3);
	});

	test('a malformed PIN is a field error that costs no try; an unknown link is not found', async ({
		app,
		network,
		kase
	}) => {
		const { invitationOf } = await scheduleMediation(app, network, kase);
		const invitation = invitationOf('王建国');

		await expectAppError(join(app, invitation, '12345'), 'VALIDATION', { pin: ['invalid'] });
		await expectAppError(join(app, invitation, 'abcdef'), 'VALIDATION', { pin: ['invalid'] });
		await expectAppError(join(app, invitation, ''), 'VALIDATION', { pin: ['required'] });
		await expectAppError(join(app, { token: 'x'.repeat(32) }, invitation.pin), 'NOT_FOUND');
		await expectAppError(join(app, { token: '../../etc/passwd' }, invitation.pin), 'NOT_FOUND');

		expect(await describeInvitation(app.db, invitation.token)).toMatchObject({ state: 'open', attemptsLeft: 5 });
	});

	test('the link expires 48 hours after the scheduled time, and so does a join made with it', async ({
		app,
		network,
		kase
	}) => {
		const { sessionId, invitationOf } = await scheduleMediation(app, network, kase);
		const invitation = invitationOf('王建国');
		const joinToken = joinTokenOf(await join(app, invitation, invitation.pin));
		const [session] = await app.db.select().from(mediationSessions).where(eq(mediationSessions.id, sessionId));
		const justBefore = new Date(session.scheduledFor.getTime() + 48 * HOUR - 1_000);
		const after = new Date(session.scheduledFor.getTime() + 48 * HOUR + 1_000);

		expect((await participantOf(app.db, sessionId, { joinToken }, justBefore)).participant.displayName).toBe('王建国');
		await expectAppError(participantOf(app.db, sessionId, { joinToken }, after), 'UNAUTHENTICATED');
		expect(await join(app, invitation, invitation.pin, after)).toEqual({ joined: false, state: 'expired' });
		expect((await describeInvitation(app.db, invitation.token, after)).state).toBe('expired');
	});

	test('revoking lets out whoever joined and refuses the link; a reissue replaces link and PIN and clears the lock', async ({
		app,
		network,
		kase
	}) => {
		const { sessionId, invitationOf } = await scheduleMediation(app, network, kase);
		const invitation = invitationOf('王建国');
		const joinToken = joinTokenOf(await join(app, invitation, invitation.pin));
		const target = { caseId: kase.caseId, participantId: invitation.participantId };

		await revokeInvitation(app, network.eastMediator, target, CLIENT.ip);
		await revokeInvitation(app, network.eastMediator, target, CLIENT.ip);

		await expectAppError(participantOf(app.db, sessionId, { joinToken }), 'UNAUTHENTICATED');
		expect(await join(app, invitation, invitation.pin)).toEqual({ joined: false, state: 'revoked' });
		expect((await describeInvitation(app.db, invitation.token)).state).toBe('revoked');

		const reissued = await reissueInvitation(app, network.eastMediator, target, CLIENT.ip);

		expect(reissued).toMatchObject({ participantId: invitation.participantId, displayName: '王建国', role: 'party' });
		expect(reissued.token).not.toBe(invitation.token);
		await expectAppError(describeInvitation(app.db, invitation.token), 'NOT_FOUND');
		await expectAppError(join(app, invitation, invitation.pin), 'NOT_FOUND');
		for (let i = 0; i < 4; i++) await join(app, reissued, wrongPin(reissued.pin));
		const again = await join(app, reissued, reissued.pin);
		expect(again).toMatchObject({ joined: true, sessionId });

		// Reissuing once more lets the device that joined with the previous invitation out too.
		await reissueInvitation(app, network.eastMediator, target, CLIENT.ip);
		await expectAppError(participantOf(app.db, sessionId, { joinToken: joinTokenOf(again) }), 'UNAUTHENTICATED');

		const actions = (await actionsOf(app, kase.caseId)).map((e) => e.action);
		expect(actions.filter((a) => a === 'session.invitation_revoked')).toHaveLength(1);
		expect(actions.filter((a) => a === 'session.invitation_reissued')).toHaveLength(2);
		expect((await verifyCaseChain(app.db, kase.caseId)).intact).toBe(true);
	});

	test('only a mediator who may see the case manages its invitations, and only invitations', async ({
		app,
		network,
		kase
	}) => {
		const { sessionId, invitationOf } = await scheduleMediation(app, network, kase);
		const target = { caseId: kase.caseId, participantId: invitationOf('王建国').participantId };
		const mediatorRow = (await participantsOf(app, sessionId)).find((r) => r.role === 'mediator')!;

		await expectAppError(revokeInvitation(app, network.partyUser, target, null), 'FORBIDDEN');
		await expectAppError(reissueInvitation(app, network.expert, target, null), 'FORBIDDEN');
		await expectAppError(revokeInvitation(app, network.westMediator, target, null), 'NOT_FOUND');
		await expectAppError(
			reissueInvitation(app, network.eastMediator, { ...target, participantId: mediatorRow.id }, null),
			'VALIDATION',
			{ participantId: ['invalid'] }
		);
		const other = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		await expectAppError(
			revokeInvitation(app, network.eastMediator, { ...target, caseId: other.caseId }, null),
			'NOT_FOUND'
		);
	});
});
