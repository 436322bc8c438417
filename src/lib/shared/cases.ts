export const DISPUTE_TYPES = [
	'land',
	'neighbour',
	'family',
	'damage_compensation',
	'labour',
	'contract',
	'other'
] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];

export const CASE_STATUSES = [
	'submitted',
	'accepted',
	'rejected',
	'scheduled',
	'in_mediation',
	'resolved',
	'failed',
	'withdrawn',
	'escalated',
	'closed'
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_CHANNELS = ['online', 'grid_report', 'walk_in', 'referral'] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];

export const PARTY_SIDES = ['applicant', 'respondent'] as const;
export type PartySide = (typeof PARTY_SIDES)[number];

/** How a mediation ended: the status a case had before it was closed. */
export const CASE_OUTCOMES = ['resolved', 'failed', 'withdrawn', 'rejected'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export function isOutcome(status: CaseStatus): status is CaseOutcome {
	return (CASE_OUTCOMES as readonly string[]).includes(status);
}

/** Where a failed mediation sends the parties next. */
export const REFERRAL_TARGETS = ['court', 'arbitration', 'petition_office', 'other'] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

/**
 * The case lifecycle: each transition, the statuses it may start
 * from and the status it leads to. The server refuses anything else.
 */
export const CASE_TRANSITIONS = {
	accept: { from: ['submitted', 'escalated'], to: 'accepted' },
	reject: { from: ['submitted', 'escalated'], to: 'rejected' },
	schedule: { from: ['accepted'], to: 'scheduled' },
	start: { from: ['scheduled'], to: 'in_mediation' },
	resolve: { from: ['in_mediation'], to: 'resolved' },
	fail: { from: ['in_mediation'], to: 'failed' },
	withdraw: { from: ['submitted', 'accepted', 'scheduled', 'in_mediation'], to: 'withdrawn' },
	escalate: { from: ['submitted', 'accepted', 'scheduled', 'in_mediation', 'escalated'], to: 'escalated' },
	close: { from: ['resolved', 'failed', 'withdrawn', 'rejected'], to: 'closed' }
} as const satisfies Record<string, { from: readonly CaseStatus[]; to: CaseStatus }>;
export type CaseTransition = keyof typeof CASE_TRANSITIONS;
export const CASE_TRANSITION_NAMES = Object.keys(CASE_TRANSITIONS) as CaseTransition[];

export function canTransition(status: CaseStatus, transition: CaseTransition): boolean {
	return (CASE_TRANSITIONS[transition].from as readonly CaseStatus[]).includes(status);
}

/** Transitions that follow from another action and are not offered on their own: scheduling a mediation schedules the case. */
export const IMPLIED_TRANSITIONS: readonly CaseTransition[] = ['schedule'];

/** Transitions that need a written reason, kept in the audit log. */
export const TRANSITIONS_WITH_REASON: readonly CaseTransition[] = ['reject', 'fail', 'withdraw', 'escalate'];

/** Statuses in which the case is still being worked on: the deadline runs, mediators can be assigned. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['submitted', 'accepted', 'scheduled', 'in_mediation', 'escalated'];
/** Statuses whose deadline counts: from acceptance until the mediation ends. */
export const DEADLINE_STATUSES: readonly CaseStatus[] = ['accepted', 'scheduled', 'in_mediation'];

export const DEFAULT_DEADLINE_DAYS = 30;
/** A case is near its deadline this many days before it. */
export const NEAR_DEADLINE_DAYS = 5;

export type DeadlineState = 'overdue' | 'near' | 'on_time' | null;

export function deadlineState(status: CaseStatus, deadline: Date | null, now = new Date()): DeadlineState {
	if (!deadline || !DEADLINE_STATUSES.includes(status)) return null;
	const left = deadline.getTime() - now.getTime();
	if (left < 0) return 'overdue';
	return left < NEAR_DEADLINE_DAYS * 86_400_000 ? 'near' : 'on_time';
}

/** Evidence: what may be uploaded, checked by content. */
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
export const EVIDENCE_MAX_FILES = 5;
export const EVIDENCE_TYPES = [
	'image/jpeg',
	'image/png',
	'image/gif',
	'image/webp',
	'application/pdf',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'text/plain'
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];
