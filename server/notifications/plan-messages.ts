import { and, eq, inArray, isNull } from 'drizzle-orm';
import {
	MEETING_REMINDERS,
	PIN_DELIVERIES,
	formatMeetingTime,
	type NotificationKind,
	type PinDelivery
} from '#shared/notifications.ts';
import { PENDING_STATUSES } from '#shared/sessions.ts';
import type { WarningRule } from '#shared/warnings.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import {
	caseParties,
	cases,
	committees,
	mediationSessions,
	notificationSettings,
	sessionParticipants,
	users,
	warnings
} from '../db/schema.ts';
import { readPublicOrigin } from '../setup/read-public-origin.ts';
import type { Localized, MessageDraft, Recipient } from './enqueue-messages.ts';
import type { Secret } from './secret.ts';

/**
 * Who is told what, for each domain event: each function reads what the message needs and
 * returns its drafts (nothing is stored here). Links are built on the app's configured public
 * address, never a request's.
 */

type PlanDeps = { db: Db; config: Config };

type CaseContext = { id: string; number: string; committeeId: string; committeeName: string; origin: string };

async function caseContext(deps: PlanDeps, caseId: string): Promise<CaseContext | null> {
	const [row] = await deps.db
		.select({ id: cases.id, number: cases.number, committeeId: cases.committeeId, committeeName: committees.name })
		.from(cases)
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.where(eq(cases.id, caseId));
	if (!row) return null;
	return { ...row, origin: await readPublicOrigin(deps) };
}

const time = (at: Date): Localized => ({ 'zh-CN': formatMeetingTime(at, 'zh-CN'), en: formatMeetingTime(at, 'en') });

/** A case's parties, with the private link each follows the case by (when they have one). */
async function partiesOf(db: Db, caseId: string) {
	return db
		.select({
			id: caseParties.id,
			name: caseParties.name,
			phone: caseParties.phone,
			userId: caseParties.userId,
			trackingToken: caseParties.trackingToken
		})
		.from(caseParties)
		.where(eq(caseParties.caseId, caseId));
}

const partyRecipient = (party: {
	id: string;
	name: string;
	phone: string | null;
	userId: string | null;
}): Recipient => ({
	name: party.name,
	userId: party.userId,
	casePartyId: party.id,
	phone: party.phone
});

/** Where a party follows their case: their tracking page, or the case page of their account. */
function caseLinkOf(
	context: CaseContext,
	party: { userId: string | null; trackingToken: string | null }
): string | null {
	if (party.trackingToken) return `${context.origin}/track/${party.trackingToken}`;
	if (party.userId) return `${context.origin}/cases/${context.id}`;
	return null;
}

/** Application received: the party whose private tracking link was just issued gets it. */
export async function planLinkIssued(deps: PlanDeps, caseId: string, trackingToken: Secret): Promise<MessageDraft[]> {
	const context = await caseContext(deps, caseId);
	if (!context) return [];
	const [party] = await deps.db
		.select({ id: caseParties.id, name: caseParties.name, phone: caseParties.phone, userId: caseParties.userId })
		.from(caseParties)
		.where(and(eq(caseParties.caseId, caseId), eq(caseParties.trackingToken, trackingToken.reveal())));
	if (!party) return [];
	return [
		{
			// Per link: a new link (the old one lost) is a new message.
			key: `link|${party.id}|${trackingToken.reveal().slice(0, 8)}`,
			kind: 'application_received',
			caseId,
			recipient: partyRecipient(party),
			committeeName: context.committeeName,
			params: { caseNumber: context.number, link: `${context.origin}/track/${trackingToken.reveal()}` }
		}
	];
}

export async function pinDeliveryOf(db: Db, committeeId: string): Promise<PinDelivery> {
	const [row] = await db
		.select({ pinDelivery: notificationSettings.pinDelivery })
		.from(notificationSettings)
		.where(eq(notificationSettings.committeeId, committeeId));
	return row && PIN_DELIVERIES.includes(row.pinDelivery) ? row.pinDelivery : 'separate_message';
}

type Invitation = { participantId: string; token: Secret; pin: Secret };

/**
 * Invitations issued: each invited party gets the link (and the PIN, in the same message or a
 * separate one as the committee chose); accounts among the participants (mediators, experts)
 * get an in-app note. Observers have no address and get nothing: the mediator passes it on.
 */
export async function planInvitations(
	deps: PlanDeps,
	caseId: string,
	sessionId: string,
	invitations: Invitation[],
	reissue: boolean
): Promise<MessageDraft[]> {
	const context = await caseContext(deps, caseId);
	if (!context || !invitations.length) return [];
	const [session] = await deps.db
		.select({ scheduledFor: mediationSessions.scheduledFor })
		.from(mediationSessions)
		.where(eq(mediationSessions.id, sessionId));
	if (!session) return [];
	const invited = await deps.db
		.select({
			participantId: sessionParticipants.id,
			name: sessionParticipants.displayName,
			partyId: caseParties.id,
			phone: caseParties.phone,
			userId: caseParties.userId
		})
		.from(sessionParticipants)
		.innerJoin(caseParties, eq(caseParties.id, sessionParticipants.casePartyId))
		.where(
			and(
				eq(sessionParticipants.sessionId, sessionId),
				inArray(
					sessionParticipants.id,
					invitations.map((i) => i.participantId)
				)
			)
		);
	const separate = (await pinDeliveryOf(deps.db, context.committeeId)) === 'separate_message';
	const drafts: MessageDraft[] = [];
	for (const person of invited) {
		const invitation = invitations.find((i) => i.participantId === person.participantId)!;
		// A reissue is a new invitation: its messages are new too.
		const key = `invitation|${person.participantId}|${reissue ? invitation.token.reveal().slice(0, 8) : 'first'}`;
		const common = {
			caseId,
			recipient: { name: person.name, userId: null, casePartyId: person.partyId, phone: person.phone },
			committeeName: context.committeeName,
			meetingAt: session.scheduledFor
		};
		const params = {
			caseNumber: context.number,
			time: time(session.scheduledFor),
			link: `${context.origin}/join/${invitation.token.reveal()}`
		};
		if (separate) {
			drafts.push({ ...common, key, kind: 'invitation_link', params });
			drafts.push({
				...common,
				key,
				kind: 'invitation_pin',
				params: { caseNumber: context.number },
				secret: { pin: invitation.pin }
			});
		} else {
			drafts.push({ ...common, key, kind: 'invitation_issued', params, secret: { pin: invitation.pin } });
		}
	}
	return drafts;
}

/** Everyone who takes part in a session and can be reached: parties (by phone and account) and accounts. */
async function sessionPeople(db: Db, sessionId: string): Promise<{ role: string; recipient: Recipient }[]> {
	const rows = await db
		.select({
			role: sessionParticipants.role,
			name: sessionParticipants.displayName,
			userId: sessionParticipants.userId,
			partyId: caseParties.id,
			partyPhone: caseParties.phone,
			partyUserId: caseParties.userId,
			userPhone: users.phone
		})
		.from(sessionParticipants)
		.leftJoin(caseParties, eq(caseParties.id, sessionParticipants.casePartyId))
		.leftJoin(users, eq(users.id, sessionParticipants.userId))
		.where(and(eq(sessionParticipants.sessionId, sessionId), isNull(sessionParticipants.revokedAt)));
	return rows.map((row) => ({
		role: row.role,
		recipient: {
			name: row.name,
			userId: row.userId ?? row.partyUserId,
			casePartyId: row.partyId,
			phone: row.partyPhone ?? row.userPhone
		}
	}));
}

type SessionRow = {
	id: string;
	caseId: string;
	kind: string;
	status: string;
	scheduledFor: Date;
	mode: string;
	place: string | null;
};

async function sessionOf(db: Db, sessionId: string): Promise<SessionRow | null> {
	const [row] = await db
		.select({
			id: mediationSessions.id,
			caseId: mediationSessions.caseId,
			kind: mediationSessions.kind,
			status: mediationSessions.status,
			scheduledFor: mediationSessions.scheduledFor,
			mode: mediationSessions.mode,
			place: mediationSessions.place
		})
		.from(mediationSessions)
		.where(eq(mediationSessions.id, sessionId));
	return row ?? null;
}

const whereOf = (session: SessionRow): Localized =>
	session.mode === 'online'
		? { 'zh-CN': '请用邀请短信中的链接进入', en: 'join by the link of your invitation' }
		: { 'zh-CN': `地点：${session.place ?? '调解室'}`, en: `at ${session.place ?? 'the mediation office'}` };

/**
 * A reminder due: sent only if the session is still pending at the start it was planned for
 * (a session moved has reminders of its own; one cancelled has none), to all who take part but
 * the mediators, whose own calendar shows it.
 */
export async function planReminder(
	deps: PlanDeps,
	job: { sessionId: string; scheduledFor: string; kind: NotificationKind }
): Promise<MessageDraft[]> {
	const session = await sessionOf(deps.db, job.sessionId);
	if (!session || !PENDING_STATUSES.includes(session.status as never)) return [];
	if (session.scheduledFor.toISOString() !== job.scheduledFor) return [];
	const context = await caseContext(deps, session.caseId);
	if (!context) return [];
	const people = await sessionPeople(deps.db, session.id);
	return people
		.filter(({ role }) => role !== 'mediator')
		.map(({ recipient }) => ({
			key: `reminder|${session.id}|${job.scheduledFor}`,
			kind: job.kind,
			caseId: session.caseId,
			recipient,
			committeeName: context.committeeName,
			params: { caseNumber: context.number, time: time(session.scheduledFor), where: whereOf(session) },
			meetingAt: session.scheduledFor
		}));
}

/** The reminders of a session at its start: when each is due, those not already past. */
export function remindersDue(scheduledFor: Date, now: Date) {
	return MEETING_REMINDERS.map(({ kind, before }) => ({ kind, at: new Date(scheduledFor.getTime() - before) })).filter(
		({ at }) => at.getTime() > now.getTime()
	);
}

export async function scheduledForOf(db: Db, sessionId: string): Promise<Date | null> {
	return (await sessionOf(db, sessionId))?.scheduledFor ?? null;
}

/** A session cancelled, or moved: all who take part but the mediators are told. */
export async function planSessionChange(
	deps: PlanDeps,
	sessionId: string,
	change: { kind: 'meeting_cancelled' } | { kind: 'meeting_moved'; previousScheduledFor: Date }
): Promise<MessageDraft[]> {
	const session = await sessionOf(deps.db, sessionId);
	if (!session) return [];
	const context = await caseContext(deps, session.caseId);
	if (!context) return [];
	const people = await sessionPeople(deps.db, session.id);
	const params: Record<string, string | Localized> = { caseNumber: context.number, time: time(session.scheduledFor) };
	if (change.kind === 'meeting_moved') params.previousTime = time(change.previousScheduledFor);
	return people
		.filter(({ role }) => role !== 'mediator')
		.map(({ recipient }) => ({
			key: `${change.kind}|${session.id}|${session.scheduledFor.toISOString()}`,
			kind: change.kind,
			caseId: session.caseId,
			recipient,
			committeeName: context.committeeName,
			params,
			meetingAt: session.scheduledFor
		}));
}

/** A consultation requested: its expert is asked; accepted: whoever asked for it is told. */
export async function planConsultation(
	deps: PlanDeps,
	sessionId: string,
	kind: 'consultation_requested' | 'consultation_accepted'
): Promise<MessageDraft[]> {
	const session = await sessionOf(deps.db, sessionId);
	if (!session) return [];
	const context = await caseContext(deps, session.caseId);
	if (!context) return [];
	const people = await sessionPeople(deps.db, session.id);
	const wanted = kind === 'consultation_requested' ? ['legal_expert'] : ['mediator', 'party'];
	return people
		.filter(({ role }) => wanted.includes(role))
		.map(({ recipient }) => ({
			key: `${kind}|${session.id}`,
			kind,
			caseId: session.caseId,
			recipient,
			committeeName: context.committeeName,
			params: { caseNumber: context.number, time: time(session.scheduledFor) },
			meetingAt: session.scheduledFor
		}));
}

/**
 * A message to every party of a case, with the case's number and the link each follows it by:
 * the agreement ready to sign or sealed (`what` names the version or the sealed file), and, for
 * the performance and follow-up features, an item due or overdue (`item`, `date`) or a survey.
 */
export async function planToParties(
	deps: PlanDeps,
	caseId: string,
	kind: 'agreement_ready' | 'agreement_sealed' | 'performance_due' | 'performance_overdue' | 'followup_survey',
	what: string,
	params: Record<string, string> = {}
): Promise<MessageDraft[]> {
	const context = await caseContext(deps, caseId);
	if (!context) return [];
	const parties = await partiesOf(deps.db, caseId);
	return parties.flatMap((party) => {
		const link = caseLinkOf(context, party);
		if (!link) return [];
		return [
			{
				key: `${kind}|${what}`,
				kind,
				caseId,
				recipient: partyRecipient(party),
				committeeName: context.committeeName,
				params: { ...params, caseNumber: context.number, link }
			}
		];
	});
}

const RULE_TITLES: Record<WarningRule, Localized> = {
	repeat_person: { 'zh-CN': '同一当事人反复纠纷', en: 'Repeated disputes of one person' },
	repeat_household: { 'zh-CN': '同一住户反复纠纷', en: 'Repeated disputes of one household' },
	repeat_place: { 'zh-CN': '同一地点反复纠纷', en: 'Repeated disputes at one place' },
	village_surge: { 'zh-CN': '村纠纷数量激增', en: "A village's disputes surging" },
	deadline_near: { 'zh-CN': '调解期限将至', en: 'Deadline near' },
	deadline_overdue: { 'zh-CN': '调解已超期限', en: 'Deadline passed' },
	risk_words: { 'zh-CN': '纠纷含风险词语', en: 'Risk words in a dispute' },
	performance_overdue: { 'zh-CN': '协议履行逾期', en: 'Agreement performance overdue' },
	judicial_deadline_near: { 'zh-CN': '司法确认申请期限将至', en: 'Judicial confirmation deadline near' }
};

/** A warning assigned: the mediator it was given to. */
export async function planWarningAssigned(
	deps: PlanDeps,
	warningId: string,
	assigneeId: string
): Promise<MessageDraft[]> {
	const [row] = await deps.db
		.select({
			rule: warnings.rule,
			caseId: warnings.caseId,
			name: users.displayName,
			phone: users.phone,
			committeeName: committees.name
		})
		.from(warnings)
		.innerJoin(users, eq(users.id, assigneeId))
		.leftJoin(cases, eq(cases.id, warnings.caseId))
		.leftJoin(committees, eq(committees.id, cases.committeeId))
		.where(eq(warnings.id, warningId));
	if (!row) return [];
	// A warning of a village rather than a case speaks for the town's first committee.
	const committeeName =
		row.committeeName ?? (await deps.db.select({ name: committees.name }).from(committees).limit(1))[0]?.name ?? '';
	return [
		{
			key: `warning_assigned|${warningId}|${assigneeId}`,
			kind: 'warning_assigned',
			caseId: row.caseId,
			recipient: { name: row.name, userId: assigneeId, casePartyId: null, phone: row.phone },
			committeeName,
			params: { title: RULE_TITLES[row.rule] }
		}
	];
}
