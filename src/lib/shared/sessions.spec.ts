import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, type CaseStatus } from './cases.ts';
import {
	canMoveSession,
	caseHoldsSession,
	hostsRoom,
	JOINABLE_STATUSES,
	PARTICIPANT_ROLES,
	PENDING_STATUSES,
	SESSION_KINDS,
	SESSION_STATUSES,
	SESSION_TRANSITIONS,
	type SessionKind,
	type SessionStatus,
	type SessionTransition
} from './sessions.ts';

const TRANSITIONS = Object.keys(SESSION_TRANSITIONS) as SessionTransition[];
/** Written out by hand, so that a change to the session lifecycle has to be made here too. */
const ALLOWED: Record<SessionStatus, SessionTransition[]> = {
	requested: ['accept', 'cancel'],
	scheduled: ['start', 'end', 'cancel'],
	live: ['end', 'cancel'],
	ended: [],
	cancelled: []
};
const LEADS_TO: Record<SessionTransition, SessionStatus> = {
	accept: 'scheduled',
	start: 'live',
	end: 'ended',
	cancel: 'cancelled'
};
const HOLDS: Record<SessionKind, CaseStatus[]> = {
	mediation: ['accepted', 'scheduled', 'in_mediation'],
	consultation: ['submitted', 'accepted', 'scheduled', 'in_mediation', 'escalated']
};

describe('the session lifecycle', () => {
	const pairs = SESSION_STATUSES.flatMap((status) =>
		TRANSITIONS.map((transition) => ({ status, transition, allowed: ALLOWED[status].includes(transition) }))
	);

	it.for(pairs)('$status / $transition → allowed: $allowed', ({ status, transition, allowed }) => {
		expect(canMoveSession(status, transition)).toBe(allowed);
	});

	it.for(TRANSITIONS)('%s leads to its status', (transition) => {
		expect(SESSION_TRANSITIONS[transition].to).toBe(LEADS_TO[transition]);
	});

	it('lets people into a scheduled or live session, and manages invitations until it is over', () => {
		expect(JOINABLE_STATUSES).toEqual(['scheduled', 'live']);
		expect(SESSION_STATUSES.filter((status) => canMoveSession(status, 'end'))).toEqual([...JOINABLE_STATUSES]);
		expect(PENDING_STATUSES).toEqual(['requested', 'scheduled', 'live']);
		expect(SESSION_STATUSES.filter((status) => canMoveSession(status, 'cancel'))).toEqual([...PENDING_STATUSES]);
	});
});

describe('caseHoldsSession', () => {
	const pairs = SESSION_KINDS.flatMap((kind) =>
		CASE_STATUSES.map((status) => ({ kind, status, held: HOLDS[kind].includes(status) }))
	);

	it.for(pairs)('a $kind in a $status case → $held', ({ kind, status, held }) => {
		expect(caseHoldsSession(status, kind)).toBe(held);
	});
});

describe('hostsRoom', () => {
	it('makes mediators hosts, and a consultation’s legal expert; nobody else', () => {
		const hosts = (kind: SessionKind) => PARTICIPANT_ROLES.filter((role) => hostsRoom(role, kind));
		expect(hosts('mediation')).toEqual(['mediator']);
		expect(hosts('consultation')).toEqual(['mediator', 'legal_expert']);
	});
});
