import { describe, expect, it } from 'vitest';
import {
	CASE_OUTCOMES,
	CASE_STATUSES,
	CASE_TRANSITION_NAMES,
	CASE_TRANSITIONS,
	canTransition,
	DEADLINE_STATUSES,
	deadlineState,
	isOutcome,
	OPEN_STATUSES,
	outcomeOf,
	type CaseStatus,
	type CaseTransition
} from './cases.ts';

/** Written out by hand, apart from the table, so that a change to the lifecycle has to be made here too. */
const ALLOWED: Record<CaseStatus, CaseTransition[]> = {
	submitted: ['accept', 'reject', 'withdraw', 'escalate'],
	accepted: ['schedule', 'resolve_orally', 'withdraw', 'escalate'],
	rejected: ['close'],
	scheduled: ['start', 'resolve_orally', 'withdraw', 'escalate'],
	in_mediation: ['resolve', 'resolve_orally', 'fail', 'withdraw', 'escalate'],
	resolved: ['close'],
	failed: ['close'],
	withdrawn: ['close'],
	escalated: ['accept', 'reject', 'escalate'],
	closed: []
};
const LEADS_TO: Record<CaseTransition, CaseStatus> = {
	accept: 'accepted',
	reject: 'rejected',
	schedule: 'scheduled',
	start: 'in_mediation',
	resolve: 'resolved',
	resolve_orally: 'resolved',
	fail: 'failed',
	withdraw: 'withdrawn',
	escalate: 'escalated',
	close: 'closed'
};

describe('the case lifecycle', () => {
	const pairs = CASE_STATUSES.flatMap((status) =>
		CASE_TRANSITION_NAMES.map((transition) => ({ status, transition, allowed: ALLOWED[status].includes(transition) }))
	);

	it.for(pairs)('$status / $transition → allowed: $allowed', ({ status, transition, allowed }) => {
		expect(canTransition(status, transition)).toBe(allowed);
	});

	it.for(CASE_TRANSITION_NAMES)('%s leads to its status', (transition) => {
		expect(CASE_TRANSITIONS[transition].to).toBe(LEADS_TO[transition]);
	});

	it('closes every outcome, and nothing leaves a closed case', () => {
		const outcomes = ['rejected', 'resolved', 'failed', 'withdrawn'];
		expect(CASE_STATUSES.filter((status) => canTransition(status, 'close'))).toEqual(outcomes);
		expect(CASE_STATUSES.filter(isOutcome)).toEqual(outcomes);
		// Besides the statuses, an outcome says how a case was resolved: by an oral agreement.
		expect(CASE_OUTCOMES.toSorted()).toEqual([...outcomes, 'resolved_orally'].toSorted());
		expect(CASE_TRANSITION_NAMES.map((transition) => [transition, outcomeOf(transition)])).toEqual([
			['accept', null],
			['reject', 'rejected'],
			['schedule', null],
			['start', null],
			['resolve', 'resolved'],
			['resolve_orally', 'resolved_orally'],
			['fail', 'failed'],
			['withdraw', 'withdrawn'],
			['escalate', null],
			['close', null]
		]);
		expect(CASE_TRANSITION_NAMES.filter((transition) => canTransition('closed', transition))).toEqual([]);
	});

	it('keeps a case open while it can still be escalated, and runs its deadline from acceptance to the end of mediation', () => {
		expect(OPEN_STATUSES).toEqual(['submitted', 'accepted', 'scheduled', 'in_mediation', 'escalated']);
		expect(CASE_STATUSES.filter((status) => canTransition(status, 'escalate'))).toEqual([...OPEN_STATUSES]);
		expect(DEADLINE_STATUSES).toEqual(['accepted', 'scheduled', 'in_mediation']);
	});
});

describe('deadlineState', () => {
	const now = new Date('2026-11-28T08:00:00Z');
	const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);

	it('tells overdue, near (within five days) and on time while the deadline runs', () => {
		expect(deadlineState('accepted', inDays(-1), now)).toBe('overdue');
		expect(deadlineState('scheduled', inDays(4.9), now)).toBe('near');
		expect(deadlineState('in_mediation', inDays(5), now)).toBe('on_time');
	});

	it('tells nothing without a deadline, or where no deadline runs', () => {
		expect(deadlineState('accepted', null, now)).toBeNull();
		expect(deadlineState('submitted', inDays(-1), now)).toBeNull();
		expect(deadlineState('resolved', inDays(-1), now)).toBeNull();
	});
});
