import type { EthnicGroupCode } from './ethnic-groups.ts';
import type { Sex } from './resident-id.ts';

/** A party is a natural person or an organisation (法人或其他组织). */
export const PARTY_KINDS = ['person', 'organisation'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export const GENDERS = ['male', 'female'] as const satisfies readonly Sex[];

/**
 * The identity documents a person shows. The first two carry a GB 11643 number, which is
 * checked (check character, birth date, sex); the others are checked for shape only.
 */
export const ID_DOCUMENT_TYPES = [
	'resident_id',
	'residence_permit',
	'hk_macao_pass',
	'taiwan_pass',
	'passport',
	'foreign_permanent_id'
] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];
export const GB11643_ID_TYPES: readonly IdDocumentType[] = ['resident_id', 'residence_permit'];

/** Who speaks for an organisation: its legal representative (法定代表人) or, for an unincorporated one, the person in charge (负责人). */
export const REPRESENTATIVE_ROLES = ['legal_representative', 'person_in_charge'] as const;
export type RepresentativeRole = (typeof REPRESENTATIVE_ROLES)[number];

/** What an agent (委托代理人) may do: general authority, or special authority to admit, waive or settle claims. */
export const AGENT_SCOPES = ['general', 'special'] as const;
export type AgentScope = (typeof AGENT_SCOPES)[number];

/** The power of attorney is a scan or a photo: PDF, JPEG or PNG. */
export const POWER_OF_ATTORNEY_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/** A party's details as stored and as the application and the agreement read them; absent ones are null. */
export type PartyDetails = {
	kind: PartyKind;
	name: string;
	phone: string | null;
	/** 住址 for a person, 地址 (registered or business address) for an organisation. */
	address: string | null;
	gender: Sex | null;
	ethnicity: EthnicGroupCode | null;
	/** YYYY-MM-DD. */
	birthDate: string | null;
	occupation: string | null;
	workplace: string | null;
	idType: IdDocumentType | null;
	idNumber: string | null;
	creditCode: string | null;
	representative: string | null;
	representativeRole: RepresentativeRole | null;
	agent: PartyAgent | null;
};

export type PartyAgent = {
	name: string;
	phone: string | null;
	scope: AgentScope | null;
	/** The uploaded power of attorney, by its stored file. */
	powerOfAttorney: { fileId: string; filename: string } | null;
};

/** The details the documents of record need and a party may lack; each has a label in both languages. */
export const PARTY_DETAIL_FIELDS = [
	'gender',
	'ethnicity',
	'birthDate',
	'occupation',
	'idNumber',
	'phone',
	'addressOrWorkplace',
	'creditCode',
	'representative',
	'address',
	'agentScope',
	'powerOfAttorney'
] as const;
export type PartyDetailField = (typeof PARTY_DETAIL_FIELDS)[number];

type Rule = { field: PartyDetailField; present: (party: PartyDetails) => boolean };

/** What the application (申请书) and the agreement (协议书) ask of each kind of party. */
const REQUIRED_DETAILS: Record<PartyKind, readonly Rule[]> = {
	person: [
		{ field: 'gender', present: (p) => p.gender !== null },
		{ field: 'ethnicity', present: (p) => p.ethnicity !== null },
		{ field: 'birthDate', present: (p) => p.birthDate !== null },
		{ field: 'occupation', present: (p) => p.occupation !== null },
		{ field: 'idNumber', present: (p) => p.idType !== null && p.idNumber !== null },
		{ field: 'phone', present: (p) => p.phone !== null },
		{ field: 'addressOrWorkplace', present: (p) => p.address !== null || p.workplace !== null }
	],
	organisation: [
		{ field: 'creditCode', present: (p) => p.creditCode !== null },
		{ field: 'representative', present: (p) => p.representative !== null },
		{ field: 'address', present: (p) => p.address !== null },
		{ field: 'phone', present: (p) => p.phone !== null }
	]
};

/** An agent acts only on a power of attorney that says how far their authority goes. */
const AGENT_DETAILS: readonly { field: PartyDetailField; present: (agent: PartyAgent) => boolean }[] = [
	{ field: 'agentScope', present: (a) => a.scope !== null },
	{ field: 'powerOfAttorney', present: (a) => a.powerOfAttorney !== null }
];

/** What is missing from a party's details for the documents of record; empty when complete. */
export function missingPartyDetails(party: PartyDetails): PartyDetailField[] {
	const missing = REQUIRED_DETAILS[party.kind].filter((rule) => !rule.present(party)).map((rule) => rule.field);
	const agent = party.agent;
	if (agent) missing.push(...AGENT_DETAILS.filter((rule) => !rule.present(agent)).map((rule) => rule.field));
	return missing;
}

/** An identity number as shown to those who may not read it whole: the first 6 and last 4 characters (110105********1234). */
export function maskIdNumber(idNumber: string): string {
	if (idNumber.length <= 10) return '*'.repeat(idNumber.length);
	return `${idNumber.slice(0, 6)}${'*'.repeat(idNumber.length - 10)}${idNumber.slice(-4)}`;
}

/** Age in whole years on `today` of someone born on `birthDate` (YYYY-MM-DD), as the documents state it. */
export function ageOn(birthDate: string, today = new Date()): number {
	const [year, month, day] = birthDate.split('-').map(Number);
	const passed = today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
	return today.getUTCFullYear() - year - (passed ? 0 : 1);
}
