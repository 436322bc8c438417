import { z } from 'zod';
import { MAX_TEMPLATE_BYTES } from './agreement-template.ts';
import { ACCEPTANCE_SOURCES, CASE_OUTCOMES, CASE_STATUSES, DISPUTE_TYPES, REFERRAL_TARGETS } from './cases.ts';
import { isCreditCode } from './credit-code.ts';
import { ETHNIC_GROUP_CODES } from './ethnic-groups.ts';
import { COMMITTEE_POSITIONS, ORG_KINDS } from './orgs.ts';
import {
	AGENT_SCOPES,
	GB11643_ID_TYPES,
	GENDERS,
	ID_DOCUMENT_TYPES,
	PARTY_KINDS,
	REPRESENTATIVE_ROLES
} from './party-details.ts';
import { normalizePhone } from './phone-number.ts';
import { isCalendarDate, parseResidentId, residentIdCheckCharacter } from './resident-id.ts';
import { ROLES } from './roles.ts';
import { monthSchema } from './statistics.ts';
import { MAX_OBSERVERS, MAX_PLACE_LENGTH, PIN_LENGTH, SESSION_KINDS, SESSION_MODES } from './sessions.ts';
import type { FieldErrors } from './errors.ts';

/**
 * Field error codes. Schemas name them as messages; the UI turns each into a
 * sentence in the user's language.
 */
export const FIELD_ERRORS = [
	'required',
	'too_short',
	'too_long',
	'invalid',
	'mismatch',
	'taken',
	'too_many',
	'too_large',
	'total_too_large',
	'file_type',
	'empty_file',
	'no_committee',
	'outside_grid',
	'committee_busy',
	'changed_too_often',
	'no_parent',
	'in_past',
	'check_character',
	'not_as_id_number',
	'in_future',
	'not_a_phone',
	'scan_type',
	'no_failed_record',
	'not_present',
	'no_proof',
	'not_attestable',
	'not_image',
	'window_closed',
	'undecided',
	'out_of_order',
	'before_agreement'
] as const;
export type FieldErrorCode = (typeof FIELD_ERRORS)[number];

const text = (max: number) => z.string({ error: 'required' }).trim().min(1, 'required').max(max, 'too_long');

export const PASSWORD_MIN = 8;
const newPassword = z.string({ error: 'required' }).min(PASSWORD_MIN, 'too_short').max(200, 'too_long');
const username = z
	.string({ error: 'required' })
	.trim()
	.min(3, 'too_short')
	.max(40, 'too_long')
	.regex(/^[A-Za-z0-9_.-]+$/, 'invalid');
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, 'too_long')
		.optional()
		.transform((v) => (v ? v : undefined));
const phone = optionalText(30).refine((v) => v === undefined || /^[0-9+\- ]{5,30}$/.test(v), 'invalid');
const id = z.uuid('invalid');
/** One of fixed values; an unchosen select (nothing, or its empty option) is "required", anything else "invalid". */
const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
	z.enum(values, { error: (issue) => (issue.input === undefined || issue.input === '' ? 'required' : 'invalid') });
const optionalId = z
	.union([z.literal(''), id])
	.optional()
	.transform((v) => (v ? v : undefined));

export const loginSchema = z.object({
	username: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'too_long'),
	password: z.string({ error: 'required' }).min(1, 'required').max(200, 'too_long')
});

const passwordsMatch = (v: { password: string; passwordConfirm: string }) => v.password === v.passwordConfirm;
const mismatch = { message: 'mismatch', path: ['passwordConfirm'] };

/** An http(s) origin and nothing more (no path, query or credentials), as links are built on it. */
function isWebOrigin(value: string): boolean {
	if (!URL.canParse(value)) return false;
	const url = new URL(value);
	const bare = !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
	return (url.protocol === 'http:' || url.protocol === 'https:') && bare;
}
const publicOrigin = z
	.string({ error: 'required' })
	.trim()
	.min(1, 'required')
	.max(200, 'too_long')
	.refine(isWebOrigin, 'invalid')
	.transform((value) => new URL(value).origin);

export const publicOriginSchema = z.object({ publicOrigin });

export const setupSchema = z
	.object({
		publicOrigin,
		countyName: optionalText(60),
		townName: text(60),
		committeeName: text(80),
		townCode: z
			.string({ error: 'required' })
			.trim()
			.regex(/^[A-Z]{2,6}$/, 'invalid'),
		username,
		displayName: text(60),
		password: newPassword,
		passwordConfirm: z.string({ error: 'required' })
	})
	.refine(passwordsMatch, mismatch);

export const passwordChangeSchema = z
	.object({
		currentPassword: z.string({ error: 'required' }).min(1, 'required').max(200, 'too_long'),
		password: newPassword,
		passwordConfirm: z.string({ error: 'required' })
	})
	.refine(passwordsMatch, mismatch);

export const orgNodeCreateSchema = z.object({
	parentId: id,
	kind: z.enum(ORG_KINDS, 'invalid'),
	name: text(60),
	code: optionalText(12)
});

export const orgNodeRenameSchema = z.object({ nodeId: id, name: text(60) });

export const committeeCreateSchema = z.object({ orgNodeId: id, name: text(80) });

export const MAX_DEADLINE_DAYS = 365;
export const committeeDeadlineSchema = z.object({
	committeeId: id,
	deadlineDays: z.coerce.number({ error: 'invalid' }).int('invalid').min(1, 'invalid').max(MAX_DEADLINE_DAYS, 'invalid')
});

export const userCreateSchema = z.object({
	username,
	displayName: text(60),
	phone,
	role: z.enum(ROLES, 'invalid'),
	orgNodeId: id,
	committeeId: optionalId,
	position: z.enum(COMMITTEE_POSITIONS, 'invalid').default('member')
});

export const userUpdateSchema = z.object({
	userId: id,
	role: z.enum(ROLES, 'invalid'),
	orgNodeId: id,
	committeeId: optionalId,
	position: z.enum(COMMITTEE_POSITIONS, 'invalid').default('member')
});

export const userIdSchema = z.object({ userId: id });

const longText = (min: number, max: number) =>
	z
		.string({ error: 'required' })
		.trim()
		.min(1, { error: 'required', abort: true })
		.min(min, 'too_short')
		.max(max, 'too_long');
/** An amount in yuan as typed (`1200` or `1200.50`), kept as whole fen. */
const amountCents = z
	.string()
	.trim()
	.optional()
	.transform((v) => v || undefined)
	.pipe(
		z
			.string()
			.regex(/^\d{1,12}(\.\d{1,2})?$/, 'invalid')
			.transform((v) => Math.round(Number(v) * 100))
			.optional()
	);

/** A mainland mobile or landline number, stored as `normalizePhone` gives it. */
function mainlandPhone(value: string, ctx: z.RefinementCtx): string {
	const normal = normalizePhone(value);
	if (normal === null) ctx.addIssue({ code: 'custom', message: 'not_a_phone' });
	return normal ?? value;
}
const partyPhone = optionalText(30).transform((v, ctx) => (v === undefined ? undefined : mainlandPhone(v, ctx)));
const requiredPartyPhone = z
	.string({ error: 'required' })
	.trim()
	.min(1, { error: 'required', abort: true })
	.max(30, 'too_long')
	.transform(mainlandPhone);
/** An unchosen optional select (nothing, or its empty option) is absent; anything else must be one of the values. */
const optionalChoice = <const T extends readonly [string, ...string[]]>(values: T) =>
	z
		.union([z.literal(''), z.enum(values, 'invalid')])
		.optional()
		.transform((v) => (v ? v : undefined));
const birthDate = optionalText(10).refine((v) => v === undefined || isCalendarDate(v), 'invalid');
const identityNumber = optionalText(30).transform((v) => v?.toUpperCase());

/**
 * A party's details as the intake and the mediator's forms post them. Only the name is
 * required (and, where a form says so, the phone); what is left out makes the case incomplete
 * (`missingPartyDetails`) rather than refused, so a villager can apply with what they know.
 * What is given is checked: a resident ID number by its check character and against the birth
 * date and sex given (which it fills in when they are left out), a credit code by its check
 * character. The output has every detail column of a party, null where absent, and only the
 * details of its kind.
 */
const partyFields = {
	kind: z
		.union([z.literal(''), z.enum(PARTY_KINDS, 'invalid')])
		.optional()
		.transform((v) => v || 'person'),
	name: text(100),
	phone: partyPhone,
	address: optionalText(120),
	gender: optionalChoice(GENDERS),
	ethnicity: optionalChoice(ETHNIC_GROUP_CODES),
	birthDate,
	occupation: optionalText(40),
	workplace: optionalText(120),
	idType: optionalChoice(ID_DOCUMENT_TYPES),
	idNumber: identityNumber,
	creditCode: identityNumber,
	representative: optionalText(40),
	representativeRole: optionalChoice(REPRESENTATIVE_ROLES)
};
type PartyInput = z.output<z.ZodObject<typeof partyFields>>;

function checkPartyDetails(party: PartyInput, ctx: z.RefinementCtx, today = new Date()) {
	const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
	if (party.kind === 'organisation') {
		if (typeof party.creditCode !== 'string') return;
		if (party.creditCode && !/^[0-9A-Z]{18}$/.test(party.creditCode)) issue('creditCode', 'invalid');
		else if (party.creditCode && !isCreditCode(party.creditCode)) issue('creditCode', 'check_character');
		return;
	}
	if (party.birthDate && party.birthDate > today.toISOString().slice(0, 10)) issue('birthDate', 'in_future');
	if (typeof party.idNumber !== 'string' || !party.idNumber) return;
	if (!GB11643_ID_TYPES.includes(party.idType ?? 'resident_id')) {
		if (!/^[A-Z0-9]{5,30}$/.test(party.idNumber)) issue('idNumber', 'invalid');
		return;
	}
	if (!/^\d{17}[\dX]$/.test(party.idNumber)) return issue('idNumber', 'invalid');
	if (residentIdCheckCharacter(party.idNumber.slice(0, 17)) !== party.idNumber[17])
		return issue('idNumber', 'check_character');
	const holder = parseResidentId(party.idNumber, today);
	if (!holder) return issue('idNumber', 'invalid');
	// A birth date or sex refused on its own is not compared as well.
	if (party.birthDate && isCalendarDate(party.birthDate) && party.birthDate !== holder.birthDate)
		issue('birthDate', 'not_as_id_number');
	if (party.gender && GENDERS.includes(party.gender) && party.gender !== holder.sex)
		issue('gender', 'not_as_id_number');
}

/** Every detail column, null where absent; a resident ID fills in the birth date and sex left out. */
function storedPartyDetails(party: PartyInput) {
	const person = party.kind === 'person';
	const holder =
		person && party.idNumber && GB11643_ID_TYPES.includes(party.idType ?? 'resident_id')
			? parseResidentId(party.idNumber)
			: null;
	const personal = <T>(value: T | undefined) => (person ? (value ?? null) : null);
	const organisational = <T>(value: T | undefined) => (person ? null : (value ?? null));
	return {
		kind: party.kind,
		name: party.name,
		phone: party.phone ?? null,
		address: party.address ?? null,
		gender: personal(party.gender ?? holder?.sex),
		ethnicity: personal(party.ethnicity),
		birthDate: personal(party.birthDate ?? holder?.birthDate),
		occupation: personal(party.occupation),
		workplace: personal(party.workplace),
		idType: personal(party.idNumber ? (party.idType ?? 'resident_id') : undefined),
		idNumber: personal(party.idNumber),
		creditCode: organisational(party.creditCode),
		representative: organisational(party.representative),
		representativeRole: organisational(
			party.representative ? (party.representativeRole ?? 'legal_representative') : undefined
		)
	};
}

const partySchema = (phoneRequired: boolean) =>
	z
		.object({ ...partyFields, phone: phoneRequired ? requiredPartyPhone : partyPhone })
		// Also when another of the party's fields is wrong, so that one submission reports every problem.
		.superRefine((party, ctx) => checkPartyDetails(party, ctx), {
			when: (payload) => typeof payload.value === 'object' && payload.value !== null
		})
		.transform(storedPartyDetails);

const party = partySchema(false);
export type PartyDetailsInput = z.output<typeof party>;

/** A party's agent (委托代理人); a form whose agent name is left empty has none. */
const agent = z
	.preprocess(
		(v) => v ?? {},
		z.object({ name: optionalText(40), phone: partyPhone, scope: optionalChoice(AGENT_SCOPES) })
	)
	.superRefine((v, ctx) => {
		if (v.name && !v.scope) ctx.addIssue({ code: 'custom', message: 'required', path: ['scope'] });
	})
	.transform((v) => (v.name ? { name: v.name, phone: v.phone ?? null, scope: v.scope ?? null } : null));

/** The mediator's edit of one party of a case: the details, and the agent (whose power of attorney comes as a file). */
export const partyUpdateSchema = z.object({ caseId: id, partyId: id, party, agent });
export type PartyUpdateInput = z.output<typeof partyUpdateSchema>;

export const MAX_RESPONDENTS = 10;

/**
 * What every intake channel asks: the dispute, the place and the parties.
 * Field names are the form's input names (`applicant.name`, `respondents.0.phone`).
 */
export const caseIntakeSchema = z.object({
	disputeType: choice(DISPUTE_TYPES),
	facts: longText(10, 5000),
	claims: longText(1, 2000),
	amount: amountCents,
	villageId: id,
	applicant: party,
	respondents: z.array(party, 'required').min(1, 'required').max(MAX_RESPONDENTS, 'too_long')
});
export type CaseIntake = z.output<typeof caseIntakeSchema>;

/** Online applicants must leave a phone number: it is how the committee reaches them. */
export const onlineApplicationSchema = caseIntakeSchema.extend({
	applicant: partySchema(true)
});

export const caseRegistrationSchema = caseIntakeSchema.extend({
	channel: choice(['walk_in', 'referral'])
});

const reason = longText(2, 1000);
/** A box that must be ticked: a form sends `on`. */
const confirmed = z.literal('on', { error: 'required' });

/**
 * What the acceptance register (受理登记表) records besides the case: where it came from (by
 * default what its intake channel suggests) and the mediator's word that the parties agreed to
 * mediation, which is voluntary (Law art. 17).
 */
export const acceptanceSchema = z.object({
	acceptanceSource: z
		.union([z.literal(''), choice(ACCEPTANCE_SOURCES)])
		.optional()
		.transform((v) => (v ? v : undefined)),
	consent: confirmed
});

/** Each lifecycle transition and what it needs besides the case. */
export const caseTransitionSchema = z.discriminatedUnion(
	'transition',
	[
		z.object({ transition: z.literal('accept') }).extend(acceptanceSchema.shape),
		z.object({ transition: z.literal('reject'), reason }),
		z.object({ transition: z.literal('schedule'), scheduledFor: z.iso.datetime({ local: true, error: 'invalid' }) }),
		z.object({ transition: z.literal('start') }),
		z.object({ transition: z.literal('resolve'), summary: longText(2, 2000) }),
		z.object({ transition: z.literal('fail'), reason, referralTarget: choice(REFERRAL_TARGETS) }),
		z.object({ transition: z.literal('withdraw'), reason }),
		z.object({ transition: z.literal('escalate'), reason }),
		z.object({ transition: z.literal('close') })
	],
	{ error: 'invalid' }
);
export type CaseTransitionInput = z.output<typeof caseTransitionSchema>;

export const caseIdSchema = z.object({ caseId: id });
/** A sealed document's address: `/cases/<id>/documents/<documentId>`. */
export const caseDocumentSchema = z.object({ id, documentId: id });

export const withdrawalSchema = z.object({ reason });

/** The longest text of an oral agreement's fields. */
export const ORAL_AGREEMENT_LIMITS = { matter: 500, terms: 3000, performance: 1000 } as const;
/**
 * An oral agreement (口头协议) as the mediator registers it: who reached it, about what, what was
 * agreed and how it is performed (the reviewer looks for the place and the deadline), the day it
 * was reached, and the mediator's password to sign it (named so that a refused form never echoes it).
 */
export const oralAgreementSchema = z.object({
	caseId: id,
	partyIds: z.array(id, 'required').min(1, 'required').max(20, 'too_many'),
	matter: longText(2, ORAL_AGREEMENT_LIMITS.matter),
	terms: longText(2, ORAL_AGREEMENT_LIMITS.terms),
	performance: longText(2, ORAL_AGREEMENT_LIMITS.performance),
	reachedOn: z.iso.date({ error: (issue) => (issue.input ? 'invalid' : 'required') }),
	password: z.string({ error: 'required' }).min(1, 'required').max(200, 'too_long')
});

export const assignMediatorsSchema = z.object({
	caseId: id,
	mediatorIds: z.array(id, 'required').min(1, 'required').max(5, 'too_long')
});

export const reassignCaseSchema = z.object({ caseId: id, committeeId: id, reason });

export const caseNoteSchema = z.object({ caseId: id, body: longText(1, 5000) });

export const inviteExpertSchema = z.object({ caseId: id, expertId: id });

export const partyLinkSchema = z.object({ caseId: id, partyId: id });

/** The audit page's lookup of one case's chain by its number, as typed (`2026-qsz-000123` finds `2026-QSZ-000123`). */
export const caseChainLookupSchema = z.object({
	number: z
		.string()
		.trim()
		.max(40, 'too_long')
		.optional()
		.transform((v) => (v ? v.toUpperCase() : undefined))
});

export const DEADLINE_FILTERS = ['overdue', 'near'] as const;

/** The case list's filters, as they appear in its address. */
export const caseListSchema = z.object({
	status: z.enum(CASE_STATUSES, 'invalid').optional(),
	disputeType: z.enum(DISPUTE_TYPES, 'invalid').optional(),
	villageId: id.optional(),
	mediatorId: id.optional(),
	deadline: z.enum(DEADLINE_FILTERS, 'invalid').optional(),
	q: z.string().trim().max(50, 'too_long').optional(),
	cursor: z.string().max(200, 'invalid').optional(),
	/** From the dashboard's drill-down: still open, how the cases ended, the handling committee's subtree, the months filed in. */
	open: z.literal('1', 'invalid').optional(),
	outcome: z.enum(CASE_OUTCOMES, 'invalid').optional(),
	/** Only cases whose agreement is performed (履行完毕). */
	performed: z.literal('1', 'invalid').optional(),
	org: id.optional(),
	from: monthSchema.optional(),
	to: monthSchema.optional()
});
export type CaseListFilters = z.output<typeof caseListSchema>;

/** A time as a datetime-local input gives it: a wall-clock time of the place, with no zone. */
const wallClock = z
	.string({ error: 'required' })
	.trim()
	.min(1, { error: 'required', abort: true })
	.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { error: 'invalid', abort: true })
	.pipe(z.iso.datetime({ local: true, error: 'invalid' }));
/** The browser's offset from UTC in minutes for that wall-clock time; absent without scripts. */
const utcOffset = z.preprocess(
	(v) => (v === '' || v === undefined ? undefined : Number(v)),
	z.number('invalid').int('invalid').min(-840, 'invalid').max(840, 'invalid').optional()
);
const ids = (max: number) => z.array(id, 'invalid').max(max, 'too_long').default([]);
/** Observers by name, one a line. */
const observerNames = z
	.string('invalid')
	.max(1000, 'too_long')
	.optional()
	.transform((v) =>
		(v ?? '')
			.split('\n')
			.map((name) => name.trim())
			.filter(Boolean)
	)
	.refine((names) => names.length <= MAX_OBSERVERS, 'too_long')
	.refine((names) => names.every((name) => name.length <= 40), 'too_long');

export const scheduleSessionSchema = z
	.object({
		caseId: id,
		kind: choice(SESSION_KINDS),
		scheduledFor: wallClock,
		utcOffset,
		/** A form from before modes, or one that sends none, schedules an online session. */
		mode: z
			.union([z.literal(''), choice(SESSION_MODES)])
			.optional()
			.transform((mode) => mode || 'online'),
		place: optionalText(MAX_PLACE_LENGTH),
		title: optionalText(80),
		agenda: optionalText(1000),
		partyIds: ids(20),
		mediatorIds: ids(10),
		expertIds: ids(5),
		observers: observerNames,
		/** The committee member who keeps the mediation's record (记录人). */
		recorderId: optionalId
	})
	.superRefine((v, ctx) => {
		// A mediation is between parties; a consultation is with a legal expert.
		if (v.kind === 'mediation' && !v.partyIds.length)
			ctx.addIssue({ code: 'custom', message: 'required', path: ['partyIds'] });
		if (v.kind === 'consultation' && !v.expertIds.length)
			ctx.addIssue({ code: 'custom', message: 'required', path: ['expertIds'] });
		// Those in the office must know where to come.
		if (v.mode !== 'online' && !v.place) ctx.addIssue({ code: 'custom', message: 'required', path: ['place'] });
	})
	// An online session is held in its room, nowhere else.
	.transform((v) => ({ ...v, place: v.mode === 'online' ? undefined : v.place }));
export type ScheduleSessionInput = z.output<typeof scheduleSessionSchema>;

export const consultationRequestSchema = z.object({
	caseId: id,
	expertId: id,
	scheduledFor: wallClock,
	utcOffset,
	agenda: optionalText(1000)
});

export const sessionOfCaseSchema = z.object({ caseId: id, sessionId: id });

export const cancelSessionSchema = sessionOfCaseSchema.extend({ reason: optionalText(500) });

export const invitationSchema = z.object({ caseId: id, participantId: id });

/** The mediator marks a participant as in the office, or takes a mistaken mark back. */
export const officeAttendanceSchema = invitationSchema.extend({
	present: z.enum(['true', 'false'], 'invalid').transform((present) => present === 'true')
});

export const joinPinSchema = z.object({
	pin: z
		.string({ error: 'required' })
		.trim()
		.min(1, { error: 'required', abort: true })
		.regex(new RegExp(`^\\d{${PIN_LENGTH}}$`), 'invalid')
});

/** An organisation's agreement template as the admin page posts it: the editor's document as JSON text. */
export const agreementTemplateSchema = z.object({
	orgNodeId: id,
	body: z
		.string({ error: 'required' })
		.min(1, { error: 'required', abort: true })
		.refine((body) => new TextEncoder().encode(body).length <= MAX_TEMPLATE_BYTES, 'too_long')
});

export const orgNodeIdSchema = z.object({ orgNodeId: id });

/** Zod issues as field → error codes, the form every boundary reports them in. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
	const fields: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.join('.') || '_';
		const code = (FIELD_ERRORS as readonly string[]).includes(issue.message) ? issue.message : 'invalid';
		(fields[key] ??= []).push(code);
	}
	return fields;
}
