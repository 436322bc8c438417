import { and, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { assignMediators } from '#server/cases/assign-mediators.ts';
import { trackingTokenHash } from '#server/cases/create-case.ts';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import {
	caseEvents,
	caseParties,
	cases,
	mediationSessions,
	participantSessions,
	sessionParticipants,
	users
} from '#server/db/schema.ts';
import { acceptConsultation } from '#server/sessions/accept-consultation.ts';
import { cancelSession } from '#server/sessions/cancel-session.ts';
import { describeInvitation } from '#server/sessions/describe-invitation.ts';
import { joinByInvitation, type JoinOutcome } from '#server/sessions/join-by-invitation.ts';
import { listCaseSessions } from '#server/sessions/list-case-sessions.ts';
import { listTrackedSessions } from '#server/sessions/list-tracked-sessions.ts';
import { participantOf, type RoomIdentity } from '#server/sessions/participant-of.ts';
import { recordRoomJoin } from '#server/sessions/record-room-join.ts';
import { reissueInvitation } from '#server/sessions/reissue-invitation.ts';
import { requestConsultation } from '#server/sessions/request-consultation.ts';
import { revokeInvitation } from '#server/sessions/revoke-invitation.ts';
import { scheduleSession, type IssuedInvitation } from '#server/sessions/schedule-session.ts';
import type { Actor } from '#shared/roles.ts';
import { intakeForm, setUpNetwork, type Network } from '../support/case-network.ts';
import { CLIENT, expectAppError, test as base } from '../support/integration-test.ts';

const HOUR = 3_600_000;

/** A wall-clock time `hours` from now as a datetime-local input gives it, with its UTC offset (0: the time is in UTC). */
function inHours(hours: number, from = new Date()) {
	return { scheduledFor: new Date(from.getTime() + hours * HOUR).toISOString().slice(0, 16), utcOffset: '0' };
}

/**
 * An accepted case in 东村: the applicant 李秀英 has the party account, the
 * respondent 王建国 has none; both 东村 mediators are assigned and the legal
 * expert is invited to it.
 */
async function setUpCase(app: App, network: Network) {
	const { caseId, trackingToken } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
	await transitionCase(app, network.eastMediator, { caseId, transition: 'accept' }, null);
	await assignMediators(
		app,
		network.eastMediator,
		{ caseId, mediatorIds: [network.eastMediator.id, network.eastMediator2.id] },
		null
	);
	await inviteExpert(app, network.eastMediator, { caseId, expertId: network.expert.id }, null);
	const parties = await app.db.select().from(caseParties).where(eq(caseParties.caseId, caseId));
	const applicant = parties.find((p) => p.side === 'applicant')!;
	const respondent = parties.find((p) => p.side === 'respondent')!;
	await app.db.update(caseParties).set({ userId: network.partyUser.id }).where(eq(caseParties.id, applicant.id));
	return { caseId, trackingToken: trackingToken!, applicant, respondent };
}
type CaseSetUp = Awaited<ReturnType<typeof setUpCase>>;

const test = base
	.extend('network', async ({ app }) => setUpNetwork(app))
	.extend('kase', async ({ app, network }) => setUpCase(app, network));

/** A mediation of the case tomorrow with both parties and an observer, scheduled by the east mediator. */
async function scheduleMediation(app: App, network: Network, kase: CaseSetUp, fields: Record<string, unknown> = {}) {
	const scheduled = await scheduleSession(
		app,
		network.eastMediator,
		{
			caseId: kase.caseId,
			kind: 'mediation',
			...inHours(24),
			title: '第一次调解',
			partyIds: [kase.applicant.id, kase.respondent.id],
			observers: '村民代表 赵六',
			...fields
		},
		CLIENT.ip
	);
	const invitationOf = (name: string) => scheduled.invitations.find((i) => i.displayName === name)!;
	return { ...scheduled, invitationOf };
}

async function actionsOf(app: App, caseId: string) {
	const rows = await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.seq);
	return rows;
}

async function participantsOf(app: App, sessionId: string) {
	return app.db.select().from(sessionParticipants).where(eq(sessionParticipants.sessionId, sessionId));
}

const join = (app: App, invitation: Pick<IssuedInvitation, 'token'>, pin: string, now?: Date) =>
	joinByInvitation(app, invitation.token, { pin }, CLIENT, now);

function joinTokenOf(outcome: JoinOutcome): string {
	if (!outcome.joined) throw new Error(`expected a join, got ${outcome.state}`);
	return outcome.joinToken;
}

/** A PIN that is not `pin`. */
/** What the room's socket does on `room:join`: finds the participant, then records their join. */
async function enterRoom(app: App, sessionId: string, identity: RoomIdentity, ip: string | null, now?: Date) {
	const entry = await participantOf(app.db, sessionId, identity);
	await recordRoomJoin(app, entry, identity, ip, now);
	return entry;
}

const wrongPin = (pin: string) => String((Number(pin) + 1) % 1_000_000).padStart(6, '0');

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

describe('participantOf: who is in the room', () => {
	test('each kind of person, and the refusals', async ({ app, network, kase }) => {
		const { sessionId, invitationOf } = await scheduleMediation(app, network, kase);
		const observer = invitationOf('村民代表 赵六');
		const observerToken = joinTokenOf(await join(app, observer, observer.pin));
		const roleOf = async (identity: Parameters<typeof participantOf>[2]) =>
			(await participantOf(app.db, sessionId, identity)).participant;

		// Listed accounts: the scheduler, and the party account through its party row.
		expect(await roleOf({ actor: network.eastMediator })).toMatchObject({
			role: 'mediator',
			userId: network.eastMediator.id
		});
		expect(await roleOf({ actor: network.partyUser })).toMatchObject({
			role: 'party',
			displayName: '李秀英',
			casePartyId: kase.applicant.id
		});
		// An observer by their join.
		expect(await roleOf({ joinToken: observerToken })).toMatchObject({
			id: observer.participantId,
			role: 'observer',
			displayName: '村民代表 赵六',
			userId: null
		});
		// An assigned mediator left off the list is let in, and added to it.
		const added = await roleOf({ actor: network.eastMediator2 });
		expect(added).toMatchObject({ role: 'mediator', userId: network.eastMediator2.id });
		expect((await roleOf({ actor: network.eastMediator2 })).id).toBe(added.id);
		expect((await participantsOf(app, sessionId)).filter((r) => r.role === 'mediator')).toHaveLength(2);

		// The expert may see the case but is not on this session's list.
		await expectAppError(roleOf({ actor: network.expert }), 'FORBIDDEN');
		// The town's mediators may see the case but are not assigned to it.
		await expectAppError(roleOf({ actor: network.townMediator }), 'FORBIDDEN');
		await expectAppError(roleOf({ actor: network.admin }), 'FORBIDDEN');
		// Those who may not see the case learn nothing of it.
		await expectAppError(roleOf({ actor: network.westMediator }), 'NOT_FOUND');
		await expectAppError(roleOf({ actor: network.gridWorker2 }), 'NOT_FOUND');
		await expectAppError(participantOf(app.db, 'not-a-uuid', { actor: network.eastMediator }), 'NOT_FOUND');
		await expectAppError(
			participantOf(app.db, '00000000-0000-4000-8000-000000000000', { actor: network.eastMediator }),
			'NOT_FOUND'
		);

		// A join works for its own session only.
		const second = await scheduleMediation(app, network, kase, { ...inHours(72) });
		await expectAppError(participantOf(app.db, second.sessionId, { joinToken: observerToken }), 'FORBIDDEN');
		await expectAppError(roleOf({ joinToken: 'x'.repeat(43) }), 'UNAUTHENTICATED');
		await expectAppError(roleOf({ joinToken: '' }), 'UNAUTHENTICATED');
		await revokeInvitation(
			app,
			network.eastMediator,
			{ caseId: kase.caseId, participantId: observer.participantId },
			null
		);
		await expectAppError(roleOf({ joinToken: observerToken }), 'UNAUTHENTICATED');
	});

	test('coming into the room is an account holder’s join, recorded with the address', async ({
		app,
		network,
		kase
	}) => {
		const { sessionId } = await scheduleMediation(app, network, kase);

		const entry = await enterRoom(app, sessionId, { actor: network.partyUser }, CLIENT.ip);

		expect(entry.participant).toMatchObject({ role: 'party', displayName: '李秀英' });
		const last = (await actionsOf(app, kase.caseId)).at(-1)!;
		expect(last).toMatchObject({
			action: 'session.joined',
			actorId: network.partyUser.id,
			ip: CLIENT.ip,
			data: { sessionId, participantId: entry.participant.id, role: 'party', via: 'account' }
		});
		const [row] = await app.db
			.select()
			.from(sessionParticipants)
			.where(eq(sessionParticipants.id, entry.participant.id));
		expect(row.lastJoinedAt).toBeInstanceOf(Date);
		await expectAppError(enterRoom(app, sessionId, { actor: network.expert }, CLIENT.ip), 'FORBIDDEN');
		expect((await actionsOf(app, kase.caseId)).at(-1)!.seq).toBe(last.seq);
		expect((await verifyCaseChain(app.db, kase.caseId)).intact).toBe(true);
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
		expect(listed.can).toEqual({ enter: true, accept: false, cancel: true, manageInvitations: true });
		expect(listed.participants.find((p) => p.displayName === '王建国')).toMatchObject({
			account: false,
			invitation: { state: 'locked', attemptsLeft: 0 }
		});
		expect(listed.participants.find((p) => p.displayName === '李秀英')).toMatchObject({
			account: true,
			invitation: { state: 'open', attemptsLeft: 5 }
		});
		// An assigned mediator not on the consultation's list sees it but may not enter.
		expect(committee.sessions[1].can).toEqual({ enter: false, accept: false, cancel: true, manageInvitations: true });

		const expert = await listCaseSessions(app.db, network.expert, kase.caseId);
		expect(expert.sessions.map((s) => s.id)).toEqual([consultation.sessionId]);
		expect(expert.sessions[0].can).toEqual({ enter: false, accept: true, cancel: true, manageInvitations: false });
		expect(expert.sessions[0].participants.every((p) => p.invitation === null && p.lastJoinedAt === null)).toBe(true);
		expect(expert.can).toEqual({ schedule: [], requestConsultation: false });

		const party = await listCaseSessions(app.db, network.partyUser, kase.caseId);
		expect(party.sessions.map((s) => s.id)).toEqual([mediation.sessionId]);
		expect(party.sessions[0].can).toEqual({ enter: true, accept: false, cancel: false, manageInvitations: false });
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
				title: '第一次调解'
			}
		]);
		await expectAppError(listTrackedSessions(app.db, 'x'.repeat(32)), 'NOT_FOUND');
	});
});

test('every join is an audit event on the case, in an intact chain', async ({ app, network, kase }) => {
	const { sessionId, invitationOf } = await scheduleMediation(app, network, kase);
	for (const name of ['李秀英', '王建国', '村民代表 赵六']) {
		const invitation = invitationOf(name);
		await join(app, invitation, invitation.pin);
	}
	// Later, in the room: 李秀英 by her account this time, a visit of its own.
	await enterRoom(app, sessionId, { actor: network.eastMediator }, CLIENT.ip, new Date(Date.now() + HOUR));
	await enterRoom(app, sessionId, { actor: network.partyUser }, CLIENT.ip, new Date(Date.now() + HOUR));

	const joins = await app.db
		.select()
		.from(caseEvents)
		.where(and(eq(caseEvents.caseId, kase.caseId), eq(caseEvents.action, 'session.joined')));
	expect(joins.map((e) => [e.actorLabel ?? e.actorId, (e.data as { via: string }).via])).toEqual([
		['李秀英', 'invitation'],
		['王建国', 'invitation'],
		['村民代表 赵六', 'invitation'],
		[network.eastMediator.id, 'account'],
		[network.partyUser.id, 'account']
	]);
	expect(joins.every((e) => e.ip === CLIENT.ip)).toBe(true);
	expect((await verifyCaseChain(app.db, kase.caseId)).intact).toBe(true);
});
