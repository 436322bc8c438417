import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import { cases, mediationSessions, users } from '#server/db/schema.ts';
import { acceptConsultation } from '#server/sessions/accept-consultation.ts';
import { cancelSession } from '#server/sessions/cancel-session.ts';
import { participantOf } from '#server/sessions/participant-of.ts';
import { requestConsultation } from '#server/sessions/request-consultation.ts';
import type { Actor } from '#shared/roles.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import {
	actionsOf,
	inHours,
	join,
	joinTokenOf,
	participantsOf,
	scheduleMediation,
	test
} from '../support/mediation-case.ts';

describe('consultations', () => {
	test('a party asks the case’s expert; only that expert accepts; then both may enter the room', async ({
		app,
		network,
		kase
	}) => {
		const request = {
			caseId: kase.caseId,
			expertId: network.expert.id,
			...inHours(48),
			agenda: '围墙拆除费用谁承担？'
		};
		const { sessionId } = await requestConsultation(app, network.partyUser, request, CLIENT.ip);

		const rows = await participantsOf(app, sessionId);
		expect(rows.map((r) => [r.role, r.displayName, r.userId, r.casePartyId]).sort()).toEqual(
			[
				['legal_expert', network.expert.displayName, network.expert.id, null],
				['party', '李秀英', network.partyUser.id, kase.applicant.id]
			].sort()
		);
		await expectAppError(participantOf(app.db, sessionId, { actor: network.partyUser }), 'CONFLICT');

		const accept = { caseId: kase.caseId, sessionId };
		await expectAppError(acceptConsultation(app, network.eastMediator, accept, null), 'FORBIDDEN');
		await expectAppError(acceptConsultation(app, network.partyUser, accept, null), 'FORBIDDEN');
		const [other] = await app.db
			.insert(users)
			.values({
				username: 'expert-2',
				displayName: '另一位律师',
				role: 'legal_expert',
				orgNodeId: network.nodes.roster.id,
				passwordHash: 'x'
			})
			.returning();
		const otherExpert: Actor = { ...other, mustChangePassword: false };
		await expectAppError(acceptConsultation(app, otherExpert, accept, null), 'NOT_FOUND');
		await inviteExpert(app, network.eastMediator, { caseId: kase.caseId, expertId: other.id }, null);
		await expectAppError(acceptConsultation(app, otherExpert, accept, null), 'FORBIDDEN');

		await acceptConsultation(app, network.expert, accept, CLIENT.ip);
		await expectAppError(acceptConsultation(app, network.expert, accept, null), 'CONFLICT');

		const [session] = await app.db.select().from(mediationSessions).where(eq(mediationSessions.id, sessionId));
		expect(session).toMatchObject({ kind: 'consultation', status: 'scheduled', agenda: '围墙拆除费用谁承担？' });
		expect((await participantOf(app.db, sessionId, { actor: network.partyUser })).participant.role).toBe('party');
		expect((await participantOf(app.db, sessionId, { actor: network.expert })).participant.role).toBe('legal_expert');
		// Consultations admit only their list, not the case's mediators.
		await expectAppError(participantOf(app.db, sessionId, { actor: network.eastMediator }), 'FORBIDDEN');
		await expectAppError(participantOf(app.db, sessionId, { actor: otherExpert }), 'FORBIDDEN');

		const actions = (await actionsOf(app, kase.caseId)).map((e) => e.action);
		expect(actions.filter((a) => a.startsWith('session.'))).toEqual([
			'session.consultation_requested',
			'session.consultation_accepted'
		]);
		const [caseRow] = await app.db.select().from(cases).where(eq(cases.id, kase.caseId));
		expect(caseRow.status).toBe('accepted');
	});

	test('a mediator may ask too; nobody may ask an expert who is not on the case, nor ask without the right', async ({
		app,
		network,
		kase
	}) => {
		const request = { caseId: kase.caseId, expertId: network.expert.id, ...inHours(48) };
		const { sessionId } = await requestConsultation(app, network.eastMediator2, request, null);
		expect((await participantsOf(app, sessionId)).map((r) => r.role).sort()).toEqual(['legal_expert', 'mediator']);

		await expectAppError(
			requestConsultation(app, network.partyUser, { ...request, expertId: network.eastMediator.id }, null),
			'VALIDATION',
			{ expertId: ['invalid'] }
		);
		await expectAppError(requestConsultation(app, network.gridWorker, request, null), 'FORBIDDEN');
		await expectAppError(requestConsultation(app, network.expert, request, null), 'FORBIDDEN');
		await expectAppError(requestConsultation(app, network.westMediator, request, null), 'NOT_FOUND');
		await expectAppError(
			requestConsultation(app, network.partyUser, { ...request, ...inHours(-2) }, null),
			'VALIDATION',
			{
				scheduledFor: ['in_past']
			}
		);
	});

	test('a consultation is called off by those in it (the expert declining), a mediation only by a mediator', async ({
		app,
		network,
		kase
	}) => {
		const consultation = await requestConsultation(
			app,
			network.partyUser,
			{ caseId: kase.caseId, expertId: network.expert.id, ...inHours(48) },
			null
		);
		const mediation = await scheduleMediation(app, network, kase);
		const invitation = mediation.invitationOf('王建国');
		const joinToken = joinTokenOf(await join(app, invitation, invitation.pin));

		await cancelSession(app, network.expert, { caseId: kase.caseId, sessionId: consultation.sessionId }, null);
		await expectAppError(
			cancelSession(app, network.expert, { caseId: kase.caseId, sessionId: consultation.sessionId }, null),
			'CONFLICT'
		);
		await expectAppError(
			cancelSession(app, network.partyUser, { caseId: kase.caseId, sessionId: mediation.sessionId }, null),
			'FORBIDDEN'
		);
		await cancelSession(
			app,
			network.eastMediator2,
			{ caseId: kase.caseId, sessionId: mediation.sessionId, reason: '被申请人外出务工' },
			CLIENT.ip
		);

		await expectAppError(participantOf(app.db, mediation.sessionId, { joinToken }), 'UNAUTHENTICATED');
		await expectAppError(participantOf(app.db, mediation.sessionId, { actor: network.eastMediator }), 'CONFLICT');
		expect(await join(app, invitation, invitation.pin)).toEqual({ joined: false, state: 'cancelled' });
		const last = (await actionsOf(app, kase.caseId)).at(-1)!;
		expect(last).toMatchObject({
			action: 'session.cancelled',
			actorId: network.eastMediator2.id,
			data: { sessionId: mediation.sessionId, reason: '被申请人外出务工' }
		});
	});
});
