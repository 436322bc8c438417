import { DEADLINE_STATUSES, OPEN_STATUSES, type CaseStatus } from './cases.ts';

/** A meeting of a case: a mediation of the parties, or a legal consultation with an expert. Both use one room. */
export const SESSION_KINDS = ['mediation', 'consultation'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/**
 * Where a session is held: in the online room, in the mediation office (线下调解: everyone there,
 * signing on the mediator's tablet), or both (some in the office, some joining the room).
 */
export const SESSION_MODES = ['online', 'in_person', 'hybrid'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/** The longest place of an in-person or hybrid session ("镇人民调解委员会调解室（镇政府二楼）"). */
export const MAX_PLACE_LENGTH = 100;

/** Whether some of a session's people are in the office, for the mediator to mark as they arrive. */
export const heldInOffice = (mode: SessionMode) => mode !== 'online';

/** How someone attended a session: in the room from their own device, or in the office. */
export const ATTENDANCE_PRESENCES = ['online', 'in_person'] as const;
export type AttendancePresence = (typeof ATTENDANCE_PRESENCES)[number];

/** `requested`: a consultation waiting for its expert to accept; `live`: the room is in use. */
export const SESSION_STATUSES = ['requested', 'scheduled', 'live', 'ended', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * A session's lifecycle: each transition, the statuses it may start from and the status it leads
 * to. A consultation starts as requested and a mediation as scheduled; the expert asked accepts a
 * consultation, the first host in the room starts it, a host ends it, and until then it may be
 * called off. The server refuses anything else.
 */
export const SESSION_TRANSITIONS = {
	accept: { from: ['requested'], to: 'scheduled' },
	start: { from: ['scheduled'], to: 'live' },
	end: { from: ['scheduled', 'live'], to: 'ended' },
	cancel: { from: ['requested', 'scheduled', 'live'], to: 'cancelled' }
} as const satisfies Record<string, { from: readonly SessionStatus[]; to: SessionStatus }>;
export type SessionTransition = keyof typeof SESSION_TRANSITIONS;

export function canMoveSession(status: SessionStatus, transition: SessionTransition): boolean {
	return (SESSION_TRANSITIONS[transition].from as readonly SessionStatus[]).includes(status);
}

/** Statuses in which people may join the room. */
export const JOINABLE_STATUSES: readonly SessionStatus[] = ['scheduled', 'live'];
/** Statuses in which a session can still be cancelled and its invitations managed. */
export const PENDING_STATUSES: readonly SessionStatus[] = SESSION_TRANSITIONS.cancel.from;

/**
 * The case statuses in which a session of each kind may be scheduled: a mediation while the case
 * is being mediated (from acceptance until the mediation ends, as its deadline runs), a
 * consultation at any open stage.
 */
export const SESSION_CASE_STATUSES: Record<SessionKind, readonly CaseStatus[]> = {
	mediation: DEADLINE_STATUSES,
	consultation: OPEN_STATUSES
};

export function caseHoldsSession(status: CaseStatus, kind: SessionKind): boolean {
	return SESSION_CASE_STATUSES[kind].includes(status);
}

export const PARTICIPANT_ROLES = ['mediator', 'party', 'legal_expert', 'observer'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/**
 * Who runs a session's room (never waits in the lobby, admits, mutes, opens caucuses, ends it):
 * its mediators, and in a consultation its legal expert, as a party may ask one with no mediator.
 */
export const hostsRoom = (role: ParticipantRole, kind: SessionKind): boolean =>
	role === 'mediator' || (kind === 'consultation' && role === 'legal_expert');

export const PIN_LENGTH = 6;
/** Wrong PINs an invitation takes before it locks; then only a new invitation from the mediator helps. */
export const MAX_PIN_FAILURES = 5;
/** An invitation link works until this long after the session's scheduled time. */
export const INVITATION_HOURS_AFTER_START = 48;

export const MAX_OBSERVERS = 5;

/**
 * Whether an invitation admits anyone now, and if not, why — in the order a
 * person should hear it: revoked, the session called off or over, the link
 * expired, locked by wrong PINs, or (a consultation) not yet accepted.
 */
export const INVITATION_STATES = ['open', 'revoked', 'cancelled', 'ended', 'expired', 'locked', 'pending'] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];
