import { z } from 'zod';
import { satisfactionSchema } from './statistics.ts';

/**
 * Follow-up visits (回访) after an agreement takes effect: the committee supervises its performance
 * (People's Mediation Law art. 31). The first visit falls due a committee's number of days after
 * the agreement took effect (the sealed agreement, or the oral agreement's day); each record may
 * set the next one, as when risks were found.
 */

/** Days from the agreement taking effect to the first follow-up, unless the committee says otherwise. */
export const DEFAULT_FOLLOW_UP_DAYS = 30;
/** The range a committee's follow-up delay may take. */
export const FOLLOW_UP_DAYS_RANGE = { min: 1, max: 365 } as const;
/** How many days ahead a follow-up shows as due soon in the work list, and opens to the parties' answers. */
export const DUE_SOON_DAYS = 7;
/** How far ahead a record may set the next visit. */
export const NEXT_VISIT_MAX_DAYS = 365;

export const FOLLOW_UP_METHODS = ['phone', 'in_person'] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];

/** 履行情况: performed fully, in part, or not at all. */
export const FOLLOW_UP_PERFORMANCE = ['fully', 'partly', 'not'] as const;
export type FollowUpPerformance = (typeof FOLLOW_UP_PERFORMANCE)[number];

/** What started a follow-up: the agreement's taking effect, or a mediator setting the next visit. */
export const FOLLOW_UP_BASES = ['agreement', 'next_visit'] as const;
export type FollowUpBasis = (typeof FOLLOW_UP_BASES)[number];

/**
 * Where a follow-up stands on a day: recorded; overdue (its day has passed); due (today, or within
 * `DUE_SOON_DAYS`); upcoming.
 */
export const FOLLOW_UP_STATES = ['upcoming', 'due', 'overdue', 'recorded'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

export const FOLLOW_UP_LIMITS = {
	place: 200,
	lawsuit: 500,
	risks: 1000,
	steps: 1000,
	answerComment: 500,
	coVisitors: 4,
	parties: 20
} as const;

const DAY_MS = 86_400_000;

/** The day of `at` in the committee's zone (China has one), as `YYYY-MM-DD`. */
export const dayOf = (at: Date): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);

/** `day` moved by `days`, as `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
	Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export function followUpState(dueOn: string, recorded: boolean, today: string): FollowUpState {
	if (recorded) return 'recorded';
	const ahead = daysBetween(today, dueOn);
	if (ahead < 0) return 'overdue';
	return ahead <= DUE_SOON_DAYS ? 'due' : 'upcoming';
}

/** Whether the parties may answer a follow-up's survey now: it is due or overdue and not yet recorded. */
export const openToAnswers = (state: FollowUpState) => state === 'due' || state === 'overdue';

const id = z.uuid('invalid');
const day = z.iso.date({ error: (issue) => (issue.input ? 'invalid' : 'required') });
const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
	z.enum(values, { error: (issue) => (issue.input === undefined || issue.input === '' ? 'required' : 'invalid') });
/** 1 (very dissatisfied) to 5 (very satisfied): the scale of the mediation's own survey (`SATISFACTION_SCORES`). */
const satisfaction = satisfactionSchema.shape.score;
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, 'too_long')
		.optional()
		.transform((v) => v || undefined);
const yesNo = choice(['yes', 'no']).transform((v) => v === 'yes');

/** A follow-up record as the mediator fills it in (the note's 人民调解回访记录) and signs it with their password. */
export const followUpRecordSchema = z
	.object({
		caseId: id,
		partyIds: z.array(id, 'required').min(1, 'required').max(FOLLOW_UP_LIMITS.parties, 'too_many'),
		coVisitorIds: z.array(id, 'invalid').max(FOLLOW_UP_LIMITS.coVisitors, 'too_many').default([]),
		method: choice(FOLLOW_UP_METHODS),
		place: optionalText(FOLLOW_UP_LIMITS.place),
		visitedOn: day,
		performance: choice(FOLLOW_UP_PERFORMANCE),
		satisfaction,
		lawsuit: yesNo,
		lawsuitNote: optionalText(FOLLOW_UP_LIMITS.lawsuit),
		risks: optionalText(FOLLOW_UP_LIMITS.risks),
		steps: optionalText(FOLLOW_UP_LIMITS.steps),
		nextDueOn: z
			.string()
			.trim()
			.optional()
			.transform((v) => v || undefined)
			.pipe(day.optional()),
		password: z.string({ error: 'required' }).min(1, 'required').max(200, 'too_long')
	})
	.superRefine((v, ctx) => {
		if (v.method === 'in_person' && !v.place) ctx.addIssue({ code: 'custom', message: 'required', path: ['place'] });
		if (v.lawsuit && !v.lawsuitNote) ctx.addIssue({ code: 'custom', message: 'required', path: ['lawsuitNote'] });
		if (v.nextDueOn && daysBetween(v.visitedOn, v.nextDueOn) < 1)
			ctx.addIssue({ code: 'custom', message: 'in_past', path: ['nextDueOn'] });
		if (v.nextDueOn && daysBetween(v.visitedOn, v.nextDueOn) > NEXT_VISIT_MAX_DAYS)
			ctx.addIssue({ code: 'custom', message: 'invalid', path: ['nextDueOn'] });
	});
export type FollowUpRecordInput = z.output<typeof followUpRecordSchema>;

/** A party's answer to a due follow-up on their tracking page. */
export const followUpAnswerSchema = z.object({
	performance: choice(FOLLOW_UP_PERFORMANCE),
	satisfaction,
	stillInDispute: yesNo,
	comment: optionalText(FOLLOW_UP_LIMITS.answerComment)
});
export type FollowUpAnswerInput = z.output<typeof followUpAnswerSchema>;

/** A mediator sets a follow-up visit when none is open (after the last one was recorded without a next). */
export const scheduleFollowUpSchema = z.object({ caseId: id, dueOn: day });

const followUpDays = z.coerce
	.number({ error: 'invalid' })
	.int('invalid')
	.min(FOLLOW_UP_DAYS_RANGE.min, 'invalid')
	.max(FOLLOW_UP_DAYS_RANGE.max, 'invalid');

/** The follow-up delays of the installation's committees, as the settings page sends them. */
export const followUpDelaysSchema = z.object({
	committees: z
		.array(z.object({ committeeId: id, days: followUpDays }), 'required')
		.min(1, 'required')
		.max(100, 'too_many')
});
