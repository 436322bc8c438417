export const ORG_KINDS = [
	'county',
	'town',
	'village',
	'community',
	'group',
	'mediation_body',
	'expert_roster'
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Which kinds a node of each kind may hold; `null` is the root of the tree. */
export const ORG_CHILD_KINDS: Record<OrgKind | 'root', readonly OrgKind[]> = {
	root: ['county', 'town'],
	county: ['town', 'mediation_body', 'expert_roster'],
	town: ['village', 'community', 'mediation_body', 'expert_roster'],
	village: ['group'],
	community: ['group'],
	group: [],
	mediation_body: [],
	expert_roster: []
};

/** Kinds that may hold a mediation committee (a third-party body is one itself). */
export const COMMITTEE_KINDS: readonly OrgKind[] = [
	'county',
	'town',
	'village',
	'community',
	'group',
	'mediation_body'
];

export const COMMITTEE_POSITIONS = ['head', 'member'] as const;
export type CommitteePosition = (typeof COMMITTEE_POSITIONS)[number];
