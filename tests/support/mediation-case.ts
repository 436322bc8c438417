import { eq } from 'drizzle-orm';
import type { App } from '#server/app.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { assignMediators } from '#server/cases/assign-mediators.ts';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { caseEvents, caseParties, sessionParticipants } from '#server/db/schema.ts';
import { joinByInvitation, type JoinOutcome } from '#server/sessions/join-by-invitation.ts';
import { participantOf, type RoomIdentity } from '#server/sessions/participant-of.ts';
import { recordRoomJoin } from '#server/sessions/record-room-join.ts';
import { scheduleSession, type IssuedInvitation } from '#server/sessions/schedule-session.ts';
import { intakeForm, setUpNetwork, type Network } from './case-network.ts';
import { CLIENT, test as base } from './integration-test.ts';

export const HOUR = 3_600_000;

/** A wall-clock time `hours` from now as a datetime-local input gives it, with its UTC offset (0: the time is in UTC). */
export function inHours(hours: number, from = new Date()) {
	return { scheduledFor: new Date(from.getTime() + hours * HOUR).toISOString().slice(0, 16), utcOffset: '0' };
}

/**
 * An accepted case in 东村: the applicant 李秀英 has the party account, the
 * respondent 王建国 has none; both 东村 mediators are assigned and the legal
 * expert is invited to it.
 */
export async function setUpCase(app: App, network: Network) {
	const { caseId, trackingToken } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
	await transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null);
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
export type CaseSetUp = Awaited<ReturnType<typeof setUpCase>>;

/** The integration fixture with the town's network (`network`) and an accepted case in it (`kase`). */
export const test = base
	.extend('network', async ({ app }) => setUpNetwork(app))
	.extend('kase', async ({ app, network }) => setUpCase(app, network));

/** A mediation of the case tomorrow with both parties and an observer, scheduled by the east mediator. */
export async function scheduleMediation(
	app: App,
	network: Network,
	kase: CaseSetUp,
	fields: Record<string, unknown> = {}
) {
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

export async function actionsOf(app: App, caseId: string) {
	return app.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.seq);
}

export async function participantsOf(app: App, sessionId: string) {
	return app.db.select().from(sessionParticipants).where(eq(sessionParticipants.sessionId, sessionId));
}

export const join = (app: App, invitation: Pick<IssuedInvitation, 'token'>, pin: string, now?: Date) =>
	joinByInvitation(app, invitation.token, { pin }, CLIENT, now);

export function joinTokenOf(outcome: JoinOutcome): string {
	if (!outcome.joined) throw new Error(`expected a join, got ${outcome.state}`);
	return outcome.joinToken;
}

/** What the room's socket does on `room:join`: finds the participant, then records their join. */
export async function enterRoom(app: App, sessionId: string, identity: RoomIdentity, ip: string | null, now?: Date) {
	const entry = await participantOf(app.db, sessionId, identity);
	await recordRoomJoin(app, entry, identity, ip, now);
	return entry;
}

/** A PIN that is not `pin`. */
export const wrongPin = (pin: string) => String((Number(pin) + 1) % 1_000_000).padStart(6, '0');
