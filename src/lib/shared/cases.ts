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
