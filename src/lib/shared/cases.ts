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

/**
 * Where an accepted case came from, as the acceptance register (受理登记表) names it: 当事人申请,
 * 调委会主动调解, 公安移交, 法院委托, 政府指定, 网格员上报. The mediator chooses it on accepting.
 */
export const ACCEPTANCE_SOURCES = [
	'party_application',
	'committee_initiative',
	'police_referral',
	'court_referral',
	'government_assignment',
	'grid_report'
] as const;
export type AcceptanceSource = (typeof ACCEPTANCE_SOURCES)[number];

/**
 * The source the accept form proposes for each intake channel. A referral from another committee
 * is not one of the register's sources: the mediator says who sent it.
 */
export const DEFAULT_ACCEPTANCE_SOURCE: Record<CaseChannel, AcceptanceSource | null> = {
	online: 'party_application',
	walk_in: 'party_application',
	grid_report: 'grid_report',
	referral: null
};

export const PARTY_SIDES = ['applicant', 'respondent'] as const;
export type PartySide = (typeof PARTY_SIDES)[number];

/**
 * How a mediation ended: the status a case had before it was closed, or for a case resolved by an
 * oral agreement (口头协议) `resolved_orally`, which the statistics count apart.
 */
export const CASE_OUTCOMES = ['resolved', 'resolved_orally', 'failed', 'withdrawn', 'rejected'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
/** Outcomes that count as a successful mediation. */
export const RESOLVED_OUTCOMES: readonly CaseOutcome[] = ['resolved', 'resolved_orally'];

export function isOutcome(status: CaseStatus): status is Extract<CaseStatus, CaseOutcome> {
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
	// A simple dispute settled by word of mouth, often at the first meeting: no mediation session needed.
	resolve_orally: { from: ['accepted', 'scheduled', 'in_mediation'], to: 'resolved', outcome: 'resolved_orally' },
	fail: { from: ['in_mediation'], to: 'failed' },
	withdraw: { from: ['submitted', 'accepted', 'scheduled', 'in_mediation'], to: 'withdrawn' },
	escalate: { from: ['submitted', 'accepted', 'scheduled', 'in_mediation', 'escalated'], to: 'escalated' },
	close: { from: ['resolved', 'failed', 'withdrawn', 'rejected'], to: 'closed' }
} as const satisfies Record<string, { from: readonly CaseStatus[]; to: CaseStatus; outcome?: CaseOutcome }>;
export type CaseTransition = keyof typeof CASE_TRANSITIONS;
export const CASE_TRANSITION_NAMES = Object.keys(CASE_TRANSITIONS) as CaseTransition[];

export function canTransition(status: CaseStatus, transition: CaseTransition): boolean {
	return (CASE_TRANSITIONS[transition].from as readonly CaseStatus[]).includes(status);
}

/** The outcome a transition records: its own when the table names one, else the status it ends in, if that is an outcome. */
export function outcomeOf(transition: CaseTransition): CaseOutcome | null {
	const entry: { to: CaseStatus; outcome?: CaseOutcome } = CASE_TRANSITIONS[transition];
	return entry.outcome ?? (isOutcome(entry.to) ? entry.to : null);
}

/**
 * Transitions that follow from another action and are not offered on their own: scheduling a
 * mediation schedules the case; registering an oral agreement resolves it.
 */
export const IMPLIED_TRANSITIONS: readonly CaseTransition[] = ['schedule', 'resolve_orally'];

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
