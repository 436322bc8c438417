import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { trackingTokenHash } from '#server/cases/create-case.ts';
import { caseParties, cases, mediationSessions } from '#server/db/schema.ts';
import { cancelSession } from '#server/sessions/cancel-session.ts';
import { listCaseSessions } from '#server/sessions/list-case-sessions.ts';
import { listTrackedSessions } from '#server/sessions/list-tracked-sessions.ts';
import { requestConsultation } from '#server/sessions/request-consultation.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import type { Actor } from '#shared/roles.ts';
import { intakeForm } from '../support/case-network.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import {
	actionsOf,
	HOUR,
	inHours,
	join,
	participantsOf,
	scheduleMediation,
	test,
	wrongPin
} from '../support/mediation-case.ts';

/** What an online session never offers: marking who came to the office, starting or ending it there. */
const NOT_IN_OFFICE = { markAttendance: false, start: false, end: false };

describe('scheduling a mediation', () => {
	test('lists the people, invites the parties and observers once, moves the case to scheduled, each step an audit event', async ({
		app,
		network,
		kase
	}) => {
		const scheduled = await scheduleMediation(app, network, kase, { expertIds: [network.expert.id] });

		expect(scheduled.status).toBe('scheduled');
		expect(scheduled.invitations.map((i) => [i.displayName, i.role]).sort()).toEqual([
			['李秀英', 'party'],
			['村民代表 赵六', 'observer'],
			['王建国', 'party']
		]);
		for (const invitation of scheduled.invitations) {
			expect(invitation.pin).toMatch(/^\d{6}$/);
			expect(invitation.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
		}
		const rows = await participantsOf(app, scheduled.sessionId);
		expect(rows.map((r) => [r.role, r.displayName, r.userId]).sort()).toEqual(
			[
				['legal_expert', network.expert.displayName, network.expert.id],
				['mediator', network.eastMediator.displayName, network.eastMediator.id],
				['observer', '村民代表 赵六', null],
				['party', '李秀英', network.partyUser.id],
				['party', '王建国', null]
			].sort()
		);
		// Only hashes are kept: the link's SHA-256 and the PIN's argon2id.
		const applicant = scheduled.invitationOf('李秀英');
		const row = rows.find((r) => r.id === applicant.participantId)!;
		expect(row.inviteTokenHash).toBe(trackingTokenHash(applicant.token));
		expect(row.pinHash).toMatch(/^\$argon2id\$/);
		const [session] = await app.db
			.select()
			.from(mediationSessions)
			.where(eq(mediationSessions.id, scheduled.sessionId));
		expect(row.inviteExpiresAt!.getTime() - session.scheduledFor.getTime()).toBe(48 * HOUR);
		expect(session).toMatchObject({ kind: 'mediation', status: 'scheduled', title: '第一次调解' });

		const [caseRow] = await app.db.select().from(cases).where(eq(cases.id, kase.caseId));
		expect(caseRow.status).toBe('scheduled');
		const events = (await actionsOf(app, kase.caseId)).slice(-2);
		expect(events.map((e) => e.action)).toEqual(['session.scheduled', 'case.schedule']);
		expect(events[0]).toMatchObject({
			actorId: network.eastMediator.id,
			ip: CLIENT.ip,
			data: { sessionId: scheduled.sessionId, kind: 'mediation', startsAt: session.scheduledFor.toISOString() }
		});
		expect(events[1].data).toMatchObject({ from: 'accepted', to: 'scheduled', scheduledFor: inHours(24).scheduledFor });
		expect(JSON.stringify(events)).not.toContain(applicant.pin);
		expect((await verifyCaseChain(app.db, kase.caseId)).intact).toBe(true);
	});

	test('a second mediation of a scheduled case leaves the case as it is', async ({ app, network, kase }) => {
		await scheduleMediation(app, network, kase);
		await scheduleMediation(app, network, kase, { ...inHours(72) });

		const actions = (await actionsOf(app, kase.caseId)).map((e) => e.action);
		expect(actions.filter((a) => a === 'case.schedule')).toHaveLength(1);
		expect(actions.filter((a) => a === 'session.scheduled')).toHaveLength(2);
	});

	test('the time as the browser saw it: its offset from UTC decides the instant', async ({ app, network, kase }) => {
		const tomorrow = new Date(Date.now() + 24 * HOUR).toISOString().slice(0, 10);
		const { sessionId } = await scheduleMediation(app, network, kase, {
			scheduledFor: `${tomorrow}T09:30`,
			utcOffset: '480'
		});

		const [session] = await app.db.select().from(mediationSessions).where(eq(mediationSessions.id, sessionId));
		expect(session.scheduledFor.toISOString()).toBe(`${tomorrow}T01:30:00.000Z`);
	});

	test('refuses bad input with field errors, and people and cases it must not touch', async ({
		app,
		network,
		kase
	}) => {
		const base = { caseId: kase.caseId, kind: 'mediation', ...inHours(24), partyIds: [kase.applicant.id] };
		const schedule = (actor: Actor, fields: Record<string, unknown>) =>
			scheduleSession(app, actor, { ...base, ...fields }, null);

		await expectAppError(schedule(network.eastMediator, inHours(-1)), 'VALIDATION', { scheduledFor: ['in_past'] });
		await expectAppError(schedule(network.eastMediator, inHours(24 * 400)), 'VALIDATION', {
			scheduledFor: ['invalid']
		});
		await expectAppError(schedule(network.eastMediator, { scheduledFor: '明天上午' }), 'VALIDATION', {
			scheduledFor: ['invalid']
		});
		await expectAppError(schedule(network.eastMediator, { partyIds: [] }), 'VALIDATION', { partyIds: ['required'] });
		await expectAppError(schedule(network.eastMediator, { kind: 'consultation' }), 'VALIDATION', {
			expertIds: ['required']
		});
		await expectAppError(schedule(network.eastMediator, { kind: 'party' }), 'VALIDATION', { kind: ['invalid'] });
		await expectAppError(schedule(network.eastMediator, { observers: '一\n二\n三\n四\n五\n六' }), 'VALIDATION', {
			observers: ['too_long']
		});
		const other = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const [otherParty] = await app.db.select().from(caseParties).where(eq(caseParties.caseId, other.caseId));
		await expectAppError(schedule(network.eastMediator, { partyIds: [otherParty.id] }), 'VALIDATION', {
			partyIds: ['invalid']
		});
		await expectAppError(schedule(network.eastMediator, { mediatorIds: [network.westMediator.id] }), 'VALIDATION', {
			mediatorIds: ['invalid']
		});

		await expectAppError(schedule(network.partyUser, {}), 'FORBIDDEN');
		await expectAppError(schedule(network.expert, {}), 'FORBIDDEN');
		await expectAppError(schedule(network.westMediator, {}), 'NOT_FOUND');
		// A case not yet accepted is not mediated yet.
		await expectAppError(schedule(network.eastMediator, { caseId: other.caseId }), 'INVALID_TRANSITION');

		const sessions = await app.db.select().from(mediationSessions);
		expect(sessions).toEqual([]);
		const [caseRow] = await app.db.select().from(cases).where(eq(cases.id, kase.caseId));
		expect(caseRow.status).toBe('accepted');
	});
});

describe('listing sessions', () => {
	test('the committee sees every session with its invitations; others only the sessions they are in', async ({
		app,
		network,
		kase
	}) => {
		const mediation = await scheduleMediation(app, network, kase);
		const invitation = mediation.invitationOf('王建国');
		for (let i = 0; i < 5; i++) await join(app, invitation, wrongPin(invitation.pin));
		const consultation = await requestConsultation(
			app,
			network.eastMediator2,
			{ caseId: kase.caseId, expertId: network.expert.id, ...inHours(48) },
			null
		);

		const committee = await listCaseSessions(app.db, network.eastMediator, kase.caseId);
		expect(committee.sessions.map((s) => [s.id, s.status])).toEqual([
			[mediation.sessionId, 'scheduled'],
			[consultation.sessionId, 'requested']
		]);
		expect(committee.can).toEqual({ schedule: ['mediation', 'consultation'], requestConsultation: true });
		const listed = committee.sessions[0];
		expect(listed.can).toEqual({ enter: true, accept: false, cancel: true, manageInvitations: true, ...NOT_IN_OFFICE });
		expect(listed.participants.find((p) => p.displayName === '王建国')).toMatchObject({
			account: false,
			invitation: { state: 'locked', attemptsLeft: 0 }
		});
		expect(listed.participants.find((p) => p.displayName === '李秀英')).toMatchObject({
			account: true,
			invitation: { state: 'open', attemptsLeft: 5 }
		});
		// An assigned mediator not on the consultation's list sees it but may not enter.
		expect(committee.sessions[1].can).toEqual({
			enter: false,
			accept: false,
			cancel: true,
			manageInvitations: true,
			...NOT_IN_OFFICE
		});

		const expert = await listCaseSessions(app.db, network.expert, kase.caseId);
		expect(expert.sessions.map((s) => s.id)).toEqual([consultation.sessionId]);
		expect(expert.sessions[0].can).toEqual({
			enter: false,
			accept: true,
			cancel: true,
			manageInvitations: false,
			...NOT_IN_OFFICE
		});
		expect(expert.sessions[0].participants.every((p) => p.invitation === null && p.lastJoinedAt === null)).toBe(true);
		expect(expert.can).toEqual({ schedule: [], requestConsultation: false });

		const party = await listCaseSessions(app.db, network.partyUser, kase.caseId);
		expect(party.sessions.map((s) => s.id)).toEqual([mediation.sessionId]);
		expect(party.sessions[0].can).toEqual({
			enter: true,
			accept: false,
			cancel: false,
			manageInvitations: false,
			...NOT_IN_OFFICE
		});
		expect(party.can).toEqual({ schedule: [], requestConsultation: true });

		await expectAppError(listCaseSessions(app.db, network.westMediator, kase.caseId), 'NOT_FOUND');
	});

	test('the tracking page lists the party’s sessions to come, never their invitation', async ({
		app,
		network,
		kase
	}) => {
		const mediation = await scheduleMediation(app, network, kase);
		const cancelled = await scheduleMediation(app, network, kase, { ...inHours(72) });
		await cancelSession(app, network.eastMediator, { caseId: kase.caseId, sessionId: cancelled.sessionId }, null);
		await scheduleMediation(app, network, kase, { partyIds: [kase.respondent.id] });

		const sessions = await listTrackedSessions(app.db, kase.trackingToken);

		expect(sessions).toEqual([
			{
				id: mediation.sessionId,
				kind: 'mediation',
				status: 'scheduled',
				scheduledFor: expect.any(Date),
				title: '第一次调解',
				mode: 'online',
				place: null
			}
		]);
		await expectAppError(listTrackedSessions(app.db, 'x'.repeat(32)), 'NOT_FOUND');
	});
});
