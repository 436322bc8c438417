import type { TemplatePlaceholder } from '$lib/shared/agreement-template';
import { m } from './paraglide/messages';

/** What each agreement template placeholder becomes, for the admin page's help. */
export const placeholderDescription = (placeholder: TemplatePlaceholder): string =>
	({
		'case.number': m.templates_placeholder_case_number,
		applicants: m.templates_placeholder_applicants,
		respondents: m.templates_placeholder_respondents,
		facts: m.templates_placeholder_facts,
		claims: m.templates_placeholder_claims,
		amount: m.templates_placeholder_amount,
		'village.name': m.templates_placeholder_village_name,
		'committee.name': m.templates_placeholder_committee_name,
		mediators: m.templates_placeholder_mediators,
		copies: m.templates_placeholder_copies,
		date: m.templates_placeholder_date
	})[placeholder]();
