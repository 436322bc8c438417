import { z } from 'zod';

/**
 * Judicial confirmation (司法确认) of a people's-mediation agreement (People's Mediation Law
 * art. 33; Civil Procedure Law art. 205–206): the parties apply jointly to the basic-level court
 * within 30 days of the agreement taking effect. The court does not confirm what concerns
 * personal status (婚姻、收养、亲子等身份关系), nor the determination of title to property or
 * intellectual property (物权、知识产权确权).
 */

/** Days after the day the agreement took effect within which the parties may apply. */
export const JUDICIAL_WINDOW_DAYS = 30;
/** From this day on the clock warns: ten days are left. */
export const JUDICIAL_WARNING_DAY = 20;
/** The committee's days are counted where it sits. */
export const JUDICIAL_TIME_ZONE = 'Asia/Shanghai';

const DAY_MS = 86_400_000;

/** The calendar day (YYYY-MM-DD) `at` falls on in Shanghai. */
export function shanghaiDate(at: Date): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: JUDICIAL_TIME_ZONE }).format(at);
}

/** Whole calendar days from one YYYY-MM-DD to another (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** `date` (YYYY-MM-DD) plus `days`. */
export function addCalendarDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export type JudicialClockState = 'open' | 'near' | 'closed';

/** Where the 30 days stand on `now` for an agreement that took effect at `effectiveAt`. */
export type JudicialClock = {
	/** The day the agreement took effect (its sealing), in Shanghai. */
	effectiveOn: string;
	/** Calendar days since then: 0 on that day itself (the first day of a period is not counted). */
	day: number;
	/** The last day an application may be made. */
	lastDay: string;
	/** Days left after today; 0 on the last day, negative once it has passed. */
	daysLeft: number;
	/** open before day 20, near from day 20 to day 30, closed after. */
	state: JudicialClockState;
};

export function judicialClock(effectiveAt: Date, now: Date): JudicialClock {
	const effectiveOn = shanghaiDate(effectiveAt);
	const day = calendarDaysBetween(effectiveOn, shanghaiDate(now));
	const state = day > JUDICIAL_WINDOW_DAYS ? 'closed' : day >= JUDICIAL_WARNING_DAY ? 'near' : 'open';
	return {
		effectiveOn,
		day,
		lastDay: addCalendarDays(effectiveOn, JUDICIAL_WINDOW_DAYS),
		daysLeft: JUDICIAL_WINDOW_DAYS - day,
		state
	};
}

/**
 * Why a court will not confirm a clause: the category of the rule that flagged it. Each has a
 * reason in both languages in the UI (`judicial_flag_<id>`) and in Chinese on the application.
 */
export const CLAUSE_FLAGS = ['marriage', 'adoption', 'kinship', 'household_registration', 'title'] as const;
export type ClauseFlag = (typeof CLAUSE_FLAGS)[number];

/**
 * The rules over an agreement's text, one a category. They look for the clause that settles a
 * status or a title, not for every mention: money that follows from a status (赡养费、抚养费、
 * 彩礼返还、离婚后财产的给付) is a civil obligation a court does confirm, so the words around it
 * must not flag it.
 */
export const CLAUSE_RULES: readonly { flag: ClauseFlag; patterns: readonly RegExp[]; reason: string }[] = [
	{
		flag: 'marriage',
		patterns: [
			// Divorcing, marrying, remarrying; not the time after a divorce (离婚后、离婚时) that money clauses name.
			/(?:同意|自愿|协议|办理|准予|解除|确认)[^，。；]{0,4}(?:离婚|结婚|复婚)|离婚(?:手续|登记|协议)|登记结婚|复婚/u,
			/(?:婚姻|夫妻)关系|婚姻(?:无效|有效)|撤销婚姻/u
		],
		reason: '确认或解除婚姻关系属身份关系，人民法院不予司法确认'
	},
	{
		flag: 'adoption',
		patterns: [/收养|送养|领养/u],
		reason: '收养关系的成立或解除属身份关系，人民法院不予司法确认'
	},
	{
		flag: 'kinship',
		patterns: [
			/(?:亲子|身份|父子|父女|母子|母女|监护)关系/u,
			/断绝[^，。；]{0,6}关系/u,
			/(?:变更|指定|担任|撤销)[^，。；]{0,4}监护人|监护(?:权|资格)/u
		],
		reason: '确认亲子、监护等身份关系，人民法院不予司法确认'
	},
	{
		flag: 'household_registration',
		patterns: [/户籍|户口|落户|迁户|分户/u],
		reason: '户籍登记由公安机关办理，不属于人民法院受理民事案件的范围'
	},
	{
		flag: 'title',
		patterns: [
			/(?:所有权|产权|使用权|承包经营权|经营权|知识产权|专利权|商标权|著作权)[^，。；]{0,4}(?:归|属于|确认为|确定为)/u,
			/确权|确认[^，。；]{0,12}(?:所有权|产权|使用权|承包经营权)/u
		],
		reason: '调解协议涉及物权、知识产权确权的，人民法院不予受理司法确认申请'
	}
];

/** Rules of a flag by its id. */
export const CLAUSE_REASONS = Object.fromEntries(CLAUSE_RULES.map((rule) => [rule.flag, rule.reason])) as Record<
	ClauseFlag,
	string
>;

/** A line of the agreement a rule flagged: its place among the lines, its text, and why. */
export type FlaggedClause = { line: number; text: string; flags: ClauseFlag[] };

/**
 * The lines of an agreement's frozen text (`canonicalText`: one block a line, clauses numbered)
 * that a court will not confirm, in order. Blank lines are skipped.
 */
export function flagClauses(text: string): FlaggedClause[] {
	const flagged: FlaggedClause[] = [];
	text.split('\n').forEach((line, index) => {
		const clause = line.trim();
		if (!clause) return;
		const flags = CLAUSE_RULES.filter((rule) => rule.patterns.some((pattern) => pattern.test(clause))).map(
			(rule) => rule.flag
		);
		if (flags.length) flagged.push({ line: index, text: clause, flags });
	});
	return flagged;
}

/** What the mediator decides about a flagged clause: leave it out of the application, or keep it with a reason. */
export const CLAUSE_DECISIONS = ['exclude', 'keep'] as const;
export type ClauseDecision = (typeof CLAUSE_DECISIONS)[number];

/** A flagged clause with the mediator's decision, as the application stores and prints it. */
export type DecidedClause = FlaggedClause & { decision: ClauseDecision; reason: string | null };

export const JUDICIAL_LIMITS = {
	note: 1000,
	reason: 500,
	courtName: 80,
	courtAddress: 200,
	serviceAddress: 200,
	rulingNumber: 60,
	/** Courts one organisation node may list. */
	courtsPerNode: 30,
	/** Flagged clauses one application decides on: an agreement has no more lines than this that matter. */
	clauses: 200
} as const;

const id = z.uuid('invalid');
const text = (max: number) => z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'too_long');
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, 'too_long')
		.optional()
		.transform((value) => value || null);
const isoDate = z.iso.date({ error: (issue) => (issue.input ? 'invalid' : 'required') });
/** A telephone number as people write one (mobile or landline with area code); checked on the server by `normalizePhone`. */
const phoneText = z
	.string({ error: 'required' })
	.trim()
	.min(1, 'required')
	.max(30, 'too_long')
	.regex(/^[0-9+\-\s()（）]+$/, 'not_a_phone');

/** A court as an admin lists it on an organisation node. */
export const courtSchema = z.object({
	orgNodeId: id,
	name: text(JUDICIAL_LIMITS.courtName),
	address: text(JUDICIAL_LIMITS.courtAddress),
	phone: phoneText,
	/** The basic-level court of the node's area: offered first. */
	basic: z
		.union([z.literal('on'), z.literal('')])
		.optional()
		.transform((value) => value === 'on')
});
export const courtUpdateSchema = courtSchema.omit({ orgNodeId: true }).extend({ courtId: id });
export const courtIdSchema = z.object({ courtId: id });

/**
 * The mediator starts the application: the court, any note to the court, and a decision on every
 * flagged clause by its line (`decisions.l<line>` = exclude | keep, `reasons.l<line>` when kept;
 * the `l` keeps form field names from reading as array indexes).
 */
export const startApplicationSchema = z.object({
	caseId: id,
	courtId: id,
	note: optionalText(JUDICIAL_LIMITS.note),
	decisions: z
		.record(z.string().regex(/^l\d{1,5}$/), z.enum(CLAUSE_DECISIONS, 'invalid'))
		.default({})
		.refine((record) => Object.keys(record).length <= JUDICIAL_LIMITS.clauses, 'too_many'),
	reasons: z
		.record(z.string().regex(/^l\d{1,5}$/), z.string().trim().max(JUDICIAL_LIMITS.reason, 'too_long'))
		.default({})
		.refine((record) => Object.keys(record).length <= JUDICIAL_LIMITS.clauses, 'too_many')
});
/** The form's key of a flagged clause's decision and reason. */
export const clauseKey = (line: number) => `l${line}`;
export type StartApplicationInput = z.output<typeof startApplicationSchema>;

/** A party signs the application on their device: their service address and phone confirmed, and their proof. */
export const signApplicationSchema = z.object({
	/** When the application the party read was prepared: a newer preparation must be read again. */
	prepared: z.iso.datetime({ error: 'invalid' }),
	serviceAddress: text(JUDICIAL_LIMITS.serviceAddress),
	servicePhone: phoneText,
	/** 送达地址确认: the party confirms documents may be served there. */
	confirm: z.literal('on', 'required'),
	/** Their account's password, or the PIN of their invitation (named so that a refused form never echoes it). */
	password: z.string({ error: 'required' }).min(1, 'required').max(200, 'too_long')
});

/** The court's answer, one step at a time. */
export const COURT_STEPS = ['filed', 'accepted', 'not_accepted', 'confirmed', 'refused'] as const;
export type CourtStep = (typeof COURT_STEPS)[number];

export const courtAnswerSchema = z
	.object({
		caseId: id,
		step: z.enum(COURT_STEPS, { error: (issue) => (issue.input ? 'invalid' : 'required') }),
		on: isoDate,
		/** The ruling's number (（2026）浙0102民特123号), for a ruling. */
		rulingNumber: optionalText(JUDICIAL_LIMITS.rulingNumber)
	})
	.refine((answer) => !['confirmed', 'refused'].includes(answer.step) || answer.rulingNumber, {
		path: ['rulingNumber'],
		error: 'required'
	});
export type CourtAnswerInput = z.output<typeof courtAnswerSchema>;

/** The court's answer as recorded: each step's day, the ruling's number and scan. */
export type CourtAnswer = {
	filedOn: string | null;
	accepted: boolean | null;
	acceptanceOn: string | null;
	ruling: 'confirmed' | 'refused' | null;
	rulingOn: string | null;
	rulingNumber: string | null;
	rulingFile: { filename: string } | null;
};

/** The steps that may follow the answer so far: filing, then acceptance or not, then a ruling on an accepted one. */
export function nextCourtSteps(answer: CourtAnswer): CourtStep[] {
	if (!answer.filedOn) return ['filed'];
	if (answer.accepted === null) return ['accepted', 'not_accepted'];
	if (answer.accepted && !answer.ruling) return ['confirmed', 'refused'];
	return [];
}

/** A ruling's scan: PDF or photo. */
export const RULING_FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const RULING_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** A court as the application offers it. */
export type CourtOption = {
	id: string;
	name: string;
	address: string;
	phone: string;
	basic: boolean;
	/** The node it is listed on. */
	nodeName: string;
};

/** One party's part in the application, as the case and tracking pages show it. */
export type ApplicantView = {
	partyId: string;
	name: string;
	side: 'applicant' | 'respondent';
	serviceAddress: string | null;
	servicePhone: string | null;
	signedAt: string | null;
};

/** The application of a case's agreement as the pages show it. */
export type JudicialApplicationView = {
	id: string;
	court: { name: string; address: string; phone: string };
	note: string | null;
	clauses: DecidedClause[];
	applicants: ApplicantView[];
	startedAt: string;
	startedBy: string;
	/** The sealed packet, once both have signed. */
	document: { id: string; pages: number; sealedAt: string } | null;
	answer: CourtAnswer;
};

/** What the case and tracking pages know of judicial confirmation for the case's agreement. */
export type JudicialView = {
	clock: JudicialClock;
	sealedAgreementId: string;
	application: JudicialApplicationView | null;
};
