/**
 * The case data an agreement template can name, as `{{name}}`; a new draft starts from the
 * template with each filled in. The admin page explains them (src/lib/i18n/template-labels.ts).
 */
export const TEMPLATE_PLACEHOLDERS = [
	'case.number',
	'applicants',
	'respondents',
	'facts',
	'claims',
	'amount',
	'village.name',
	'committee.name',
	'mediators',
	'copies',
	'date'
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** `{{ name }}`, spaces inside the braces allowed; the name (known or not) is the first group. */
export const PLACEHOLDER_PATTERN = /\{\{\s*([^{}\s][^{}]*?)\s*\}\}/g;

export const isTemplatePlaceholder = (name: string): name is TemplatePlaceholder =>
	(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name);

/** Largest template, as the editor's JSON: a long agreement is a few kilobytes. */
export const MAX_TEMPLATE_BYTES = 64 * 1024;
