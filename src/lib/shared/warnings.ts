import { z } from 'zod';

/**
 * The early-warning rules: the same person, household or place in several
 * disputes within a window; a village with far more cases this month than
 * usual; a case near or past its deadline; risk words in the facts; an item of an
 * agreement's performance plan past its due day; an application for judicial confirmation not
 * yet filed with the court ten days before its 30 days run out.
 */
export const WARNING_RULES = [
	'repeat_person',
	'repeat_household',
	'repeat_place',
	'village_surge',
	'deadline_near',
	'deadline_overdue',
	'risk_words',
	'performance_overdue',
	'judicial_deadline_near'
] as const;
export type WarningRule = (typeof WARNING_RULES)[number];

export const WARNING_SEVERITIES = ['low', 'medium', 'high'] as const;
export type WarningSeverity = (typeof WARNING_SEVERITIES)[number];

export const WARNING_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];

export const RISK_CATEGORIES = ['violence', 'threat', 'petition', 'group'] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/** Violence and threats can turn into harm at any moment; petitions and group disputes escalate more slowly. */
export const RISK_SEVERITY: Record<RiskCategory, WarningSeverity> = {
	violence: 'high',
	threat: 'high',
	petition: 'medium',
	group: 'medium'
};

const MAX_RISK_WORDS = 100;
const MAX_RISK_WORD_LENGTH = 20;

/** A list of words typed one a line (or separated by commas), as the settings form sends it. */
const wordList = z.preprocess(
	(value) =>
		typeof value === 'string'
			? [
					...new Set(
						value
							.split(/[\n,，、;；]/)
							.map((word) => word.trim())
							.filter(Boolean)
					)
				]
			: value,
	z
		.array(z.string('invalid'), 'invalid')
		.max(MAX_RISK_WORDS, 'too_long')
		.refine((words) => words.every((word) => word.length <= MAX_RISK_WORD_LENGTH), 'too_long')
);

const whole = (min: number, max: number) =>
	z.coerce.number({ error: 'invalid' }).int('invalid').min(min, 'invalid').max(max, 'invalid');

export const warningSettingsSchema = z.object({
	/** Disputes of the same person, household or place this many days apart count as repeated. */
	repeatWindowDays: whole(1, 365),
	/** A place (village or group) warns at this many disputes of one type within the window. */
	repeatPlaceMinCases: whole(2, 100),
	/** The months before this one that make a village's usual monthly count. */
	surgeTrailingMonths: whole(1, 24),
	/** How far above its usual count (in per cent) a village's month must be to warn. */
	surgeMarginPercent: whole(1, 1000),
	/** Too few cases to mean anything below this, whatever the margin. */
	surgeMinCases: whole(1, 10_000),
	riskWords: z.object({
		violence: wordList,
		threat: wordList,
		petition: wordList,
		group: wordList
	})
});
export type WarningSettings = z.output<typeof warningSettingsSchema>;

/** What a town starts with, Chinese and English words side by side: the facts may be written in either. */
export const DEFAULT_WARNING_SETTINGS: WarningSettings = {
	repeatWindowDays: 30,
	repeatPlaceMinCases: 3,
	surgeTrailingMonths: 6,
	surgeMarginPercent: 50,
	surgeMinCases: 5,
	riskWords: {
		violence: ['打人', '殴打', '动手', '持刀', '砍伤', '伤人', '暴力', 'violence', 'assault', 'beat', 'knife'],
		threat: ['威胁', '恐吓', '报复', '同归于尽', '不想活', 'threat', 'threaten', 'revenge', 'kill'],
		petition: ['上访', '信访', '越级', '进京', 'petition', 'petitioning'],
		group: ['集体', '群体', '聚集', '堵路', '围堵', '多户', 'group dispute', 'crowd', 'blockade', 'mob']
	}
};

export const warningListSchema = z.object({
	status: z.enum(WARNING_STATUSES, 'invalid').optional(),
	severity: z.enum(WARNING_SEVERITIES, 'invalid').optional(),
	rule: z.enum(WARNING_RULES, 'invalid').optional(),
	/** Only the warnings assigned to the person looking. */
	mine: z.literal('1', 'invalid').optional()
});
export type WarningListFilters = z.output<typeof warningListSchema>;

const warningId = z.uuid('invalid');
export const warningIdSchema = z.object({ warningId });
export const warningAssignSchema = z.object({ warningId, assigneeId: z.uuid('invalid') });
export const warningResolveSchema = z.object({
	warningId,
	note: z.string({ error: 'required' }).trim().min(1, 'required').max(500, 'too_long')
});
