import { ETHNIC_GROUPS, type EthnicGroupCode } from '$lib/shared/ethnic-groups';
import type {
	AgentScope,
	IdDocumentType,
	PartyDetailField,
	PartyKind,
	RepresentativeRole
} from '$lib/shared/party-details';
import type { Sex } from '$lib/shared/resident-id';
import { m } from './paraglide/messages';
import { getLocale } from './paraglide/runtime';

/** Display names of a party's details, in the current language. */
export const partyKindLabel = (kind: PartyKind): string =>
	({ person: m.party_kind_person, organisation: m.party_kind_organisation })[kind]();

export const genderLabel = (sex: Sex): string => ({ male: m.party_gender_male, female: m.party_gender_female })[sex]();

/** The standard's own names: Chinese, or its romanisation. */
export const ethnicityLabel = (code: EthnicGroupCode): string => {
	const group = ETHNIC_GROUPS.find((g) => g.code === code);
	if (!group) return code;
	return getLocale() === 'zh-CN' ? group.zh : group.en;
};

export const idTypeLabel = (type: IdDocumentType): string =>
	({
		resident_id: m.party_id_resident_id,
		residence_permit: m.party_id_residence_permit,
		hk_macao_pass: m.party_id_hk_macao_pass,
		taiwan_pass: m.party_id_taiwan_pass,
		passport: m.party_id_passport,
		foreign_permanent_id: m.party_id_foreign_permanent_id
	})[type]();

export const representativeRoleLabel = (role: RepresentativeRole): string =>
	({ legal_representative: m.party_role_legal_representative, person_in_charge: m.party_role_person_in_charge })[
		role
	]();

export const agentScopeLabel = (scope: AgentScope): string =>
	({ general: m.party_scope_general, special: m.party_scope_special })[scope]();

const MISSING: Record<PartyDetailField, () => string> = {
	gender: m.party_missing_gender,
	ethnicity: m.party_missing_ethnicity,
	birthDate: m.party_missing_birth_date,
	occupation: m.party_missing_occupation,
	idNumber: m.party_missing_id_number,
	phone: m.party_missing_phone,
	addressOrWorkplace: m.party_missing_address_or_workplace,
	creditCode: m.party_missing_credit_code,
	representative: m.party_missing_representative,
	address: m.party_missing_address,
	agentScope: m.party_missing_agent_scope,
	powerOfAttorney: m.party_missing_power_of_attorney
};

/** What a party lacks, as one phrase: 性别、民族、出生日期. */
export const missingDetailsLabel = (fields: readonly PartyDetailField[]): string =>
	fields.map((field) => MISSING[field]()).join(m.list_separator());

/** The stored columns a `party.updated` event names, as the form labels them. */
const CHANGED: Record<string, () => string> = {
	kind: m.party_kind,
	name: m.party_name_person,
	phone: m.party_phone,
	address: m.party_address_person,
	gender: m.party_gender,
	ethnicity: m.party_ethnicity,
	birthDate: m.party_birth_date,
	occupation: m.party_occupation,
	workplace: m.party_workplace,
	idType: m.party_id_type,
	idNumber: m.party_id_number,
	creditCode: m.party_credit_code,
	representative: m.party_representative,
	representativeRole: m.party_representative_role,
	agentName: m.party_agent_name,
	agentPhone: m.party_agent_phone,
	agentScope: m.party_agent_scope,
	agentPowerOfAttorneyFileId: m.party_power_of_attorney
};

export const changedDetailsLabel = (columns: readonly unknown[]): string =>
	[
		...new Set(columns.flatMap((column) => (typeof column === 'string' && CHANGED[column] ? [CHANGED[column]()] : [])))
	].join(m.list_separator());
