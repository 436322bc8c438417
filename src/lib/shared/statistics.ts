import { z } from 'zod';

/** Months are counted in the town's time: a case filed at 01:00 on the 1st belongs to the new month. */
export const STATISTICS_TIME_ZONE = 'Asia/Shanghai';

/** The longest period the dashboard and the exports cover at once. */
export const MAX_PERIOD_MONTHS = 120;
/** The dashboard shows the last year unless told otherwise. */
export const DEFAULT_PERIOD_MONTHS = 12;

/** A calendar month as `YYYY-MM`. */
export const monthSchema = z
	.string()
	.trim()
	.regex(/^(19|20|21)\d\d-(0[1-9]|1[0-2])$/, 'invalid');

const optionalMonth = z
	.union([z.literal(''), monthSchema])
	.optional()
	.transform((v) => v || undefined);

/** A node of the organisation tree whose subtree the figures cover; none (or an empty select) means all. */
const optionalOrg = z
	.union([z.literal(''), z.uuid('invalid')])
	.optional()
	.transform((v) => v || undefined);

/** `YYYY-MM` months apart: 0 for the same month. */
export function monthsBetween(from: string, to: string): number {
	const [fromYear, fromMonth] = from.split('-').map(Number);
	const [toYear, toMonth] = to.split('-').map(Number);
	return (toYear - fromYear) * 12 + (toMonth - fromMonth);
}

/** Both ends given and well formed (refinements see the raw values when a field has failed). */
const bothMonths = (v: { from?: string; to?: string }): v is { from: string; to: string } =>
	monthSchema.safeParse(v.from).success && monthSchema.safeParse(v.to).success;

/** The dashboard's filters: a period of whole months (both ends included) and a subtree of the organisation. */
export const statisticsFilterSchema = z
	.object({
		from: optionalMonth,
		to: optionalMonth,
		org: optionalOrg
	})
	.refine((v) => !bothMonths(v) || monthsBetween(v.from, v.to) >= 0, { message: 'invalid', path: ['to'] })
	.refine((v) => !bothMonths(v) || monthsBetween(v.from, v.to) < MAX_PERIOD_MONTHS, {
		message: 'too_long',
		path: ['from']
	});

/** The monthly report's month (this month by default) and subtree. */
export const monthlyReportSchema = z.object({
	month: optionalMonth,
	org: optionalOrg
});

/** The formats the case list exports to. */
export const exportFormatSchema = z.enum(['csv', 'xlsx'], 'invalid');

export const SATISFACTION_SCORES = [1, 2, 3, 4, 5] as const;

/** The party's answer to the survey on their tracking page once the case has ended. */
export const satisfactionSchema = z.object({
	score: z.coerce.number({ error: 'required' }).int('invalid').min(1, 'required').max(5, 'invalid'),
	comment: z
		.string()
		.trim()
		.max(500, 'too_long')
		.optional()
		.transform((v) => v || undefined)
});
