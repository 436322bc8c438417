import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { roleHas, seesAsCommittee } from '#shared/permissions.ts';
import type { Actor } from '#shared/roles.ts';
import {
	canMoveSession,
	caseHoldsSession,
	heldInOffice,
	JOINABLE_STATUSES,
	type InvitationState,
	MAX_PIN_FAILURES,
	PARTICIPANT_ROLES,
	PENDING_STATUSES,
	type ParticipantRole,
	type SessionKind,
	type SessionMode,
	type SessionStatus
} from '#shared/sessions.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import {
	caseExperts,
	caseMediators,
	caseParties,
	mediationSessions,
	sessionAttendance,
	sessionParticipants,
	users
} from '../db/schema.ts';
import type { ChatMessage } from '#shared/realtime-events.ts';
import { listSessionRecords, type SessionRecordState } from '../agreements/list-session-records.ts';
import { invitationState } from './describe-invitation.ts';
import { listRecorders } from './list-recorders.ts';
import { listChatMessages } from './list-chat-messages.ts';

export type SessionParticipantView = {
	id: string;
	role: ParticipantRole;
	displayName: string;
	/** Joins with an account (and no invitation is needed for that). */
	account: boolean;
	/** Only for the committee: where the participant's invitation stands, and when they last joined. */
	invitation: { state: InvitationState; attemptsLeft: number; expiresAt: Date } | null;
	lastJoinedAt: Date | null;
	/** When the mediator marked them present in the office, for a session held there. */
	inOfficeSince: Date | null;
};

export type CaseSessionView = {
	id: string;
	kind: SessionKind;
	status: SessionStatus;
	scheduledFor: Date;
	mode: SessionMode;
	/** Where an in-person or hybrid session is held. */
	place: string | null;
	title: string | null;
	agenda: string | null;
	createdByName: string;
	participants: SessionParticipantView[];
	/** What was said in its room: all of it for the committee, the joint session's for the others. */
	chat: ChatMessage[];
	/** A mediation's record, once started. */
	record: SessionRecordState | null;
	/** What the actor may do with it now. */
	can: {
		enter: boolean;
		accept: boolean;
		cancel: boolean;
		manageInvitations: boolean;
		/** The host marks who came to the office (in person or hybrid, scheduled or live). */
		markAttendance: boolean;
		/** The host starts and ends a session held wholly in the office, which has no room to do it in. */
		start: boolean;
		end: boolean;
	};
};

export type CaseSessions = {
	sessions: CaseSessionView[];
	/** Who may keep a mediation's record (记录人): the active members of the case's committee. */
	recorders: { id: string; displayName: string }[];
	/** The kinds of session the actor may schedule now, and whether they may ask for a consultation. */
	can: { schedule: SessionKind[]; requestConsultation: boolean };
};

/**
 * The sessions of a case, soonest first. The committee (mediators, admins)
 * sees them all with the state of each invitation; anyone else who may see
 * the case sees the sessions they take part in.
 */
export async function listCaseSessions(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<CaseSessions> {
	authorize(actor, 'cases:list');
	const caseRow = await findVisibleCase(db, actor, caseId);
	const committeeView = seesAsCommittee(actor);
	const creator = alias(users, 'creator');
	const [sessions, assigned, experts, recorders] = await Promise.all([
		db
			.select({
				id: mediationSessions.id,
				kind: mediationSessions.kind,
				status: mediationSessions.status,
				scheduledFor: mediationSessions.scheduledFor,
				mode: mediationSessions.mode,
				place: mediationSessions.place,
				title: mediationSessions.title,
				agenda: mediationSessions.agenda,
				createdByName: creator.displayName
			})
			.from(mediationSessions)
			.innerJoin(creator, eq(creator.id, mediationSessions.createdById))
			.where(eq(mediationSessions.caseId, caseId))
			.orderBy(asc(mediationSessions.scheduledFor), asc(mediationSessions.createdAt)),
		db
			.select({ userId: caseMediators.userId })
			.from(caseMediators)
			.where(and(eq(caseMediators.caseId, caseId), eq(caseMediators.userId, actor.id))),
		db
			.select({ userId: caseExperts.userId })
			.from(caseExperts)
			.innerJoin(users, eq(users.id, caseExperts.userId))
			.where(and(eq(caseExperts.caseId, caseId), eq(users.active, true))),
		listRecorders(db, caseRow.committeeId)
	]);
	const records = await listSessionRecords(
		db,
		sessions.map((s) => s.id)
	);
	const participants = sessions.length
		? await db
				.select({ row: sessionParticipants, partyUserId: caseParties.userId })
				.from(sessionParticipants)
				.leftJoin(caseParties, eq(caseParties.id, sessionParticipants.casePartyId))
				.where(
					inArray(
						sessionParticipants.sessionId,
						sessions.map((s) => s.id)
					)
				)
				.orderBy(asc(sessionParticipants.createdAt))
		: [];
	const inOffice = sessions.length
		? await db
				.select({ participantId: sessionAttendance.participantId, since: sessionAttendance.joinedAt })
				.from(sessionAttendance)
				.where(
					and(
						inArray(
							sessionAttendance.sessionId,
							sessions.map((s) => s.id)
						),
						eq(sessionAttendance.presence, 'in_person')
					)
				)
		: [];
	const officeSince = new Map(inOffice.map((row) => [row.participantId, row.since]));
	const schedules = roleHas(actor.role, 'sessions:schedule');
	const chat = await listChatMessages(
		db,
		sessions.map((s) => s.id),
		committeeView ? undefined : ['joint']
	);

	const views = sessions.flatMap((session): CaseSessionView[] => {
		const list = participants
			.filter((p) => p.row.sessionId === session.id)
			.sort((a, b) => PARTICIPANT_ROLES.indexOf(a.row.role) - PARTICIPANT_ROLES.indexOf(b.row.role));
		const listed = list.some((p) => p.row.userId === actor.id || p.partyUserId === actor.id);
		const hosts = schedules && list.some((p) => p.row.role === 'mediator' && p.row.userId === actor.id);
		if (!committeeView && !listed) return [];
		const pending = PENDING_STATUSES.includes(session.status);
		return [
			{
				...session,
				record: records.get(session.id) ?? null,
				chat: chat.filter((message) => message.sessionId === session.id).map(({ sessionId: _, ...message }) => message),
				participants: list.map(({ row }) => ({
					id: row.id,
					role: row.role,
					displayName: row.displayName,
					account: row.userId !== null,
					invitation:
						committeeView && row.inviteExpiresAt
							? {
									state: invitationState(row, session, now),
									attemptsLeft: Math.max(0, MAX_PIN_FAILURES - row.failedPinAttempts),
									expiresAt: row.inviteExpiresAt
								}
							: null,
					lastJoinedAt: committeeView ? row.lastJoinedAt : null,
					inOfficeSince: officeSince.get(row.id) ?? null
				})),
				can: {
					enter:
						JOINABLE_STATUSES.includes(session.status) &&
						(listed || (session.kind === 'mediation' && assigned.length > 0)),
					accept:
						session.kind === 'consultation' &&
						canMoveSession(session.status, 'accept') &&
						list.some((p) => p.row.role === 'legal_expert' && p.row.userId === actor.id),
					cancel: pending && (schedules || (session.kind === 'consultation' && listed)),
					manageInvitations: pending && schedules,
					markAttendance: hosts && heldInOffice(session.mode) && JOINABLE_STATUSES.includes(session.status),
					start: hosts && session.mode === 'in_person' && canMoveSession(session.status, 'start'),
					end: hosts && session.mode === 'in_person' && session.status === 'live'
				}
			}
		];
	});
	return {
		sessions: views,
		recorders: schedules ? recorders : [],
		can: {
			schedule: schedules
				? (['mediation', 'consultation'] as const).filter((kind) => caseHoldsSession(caseRow.status, kind))
				: [],
			requestConsultation:
				roleHas(actor.role, 'consultations:request') &&
				caseHoldsSession(caseRow.status, 'consultation') &&
				experts.length > 0
		}
	};
}
