import { z } from 'zod';

/**
 * The live drafts: the case's agreement (人民调解协议书), and the record (人民调解记录) of each
 * mediation session. Both are written, versioned, frozen, signed and sealed the same way; they
 * differ in who writes, who signs and where the sealed PDF goes.
 */
export const DRAFT_KINDS = ['agreement', 'mediation_record'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

/**
 * How a mediation session ended, as its record says: agreed (the terms follow in the record and the
 * agreement), failed (why, and what the parties may do next), or adjourned to another session.
 */
export const RECORD_RESULTS = ['agreed', 'failed', 'adjourned'] as const;
export type RecordResult = (typeof RECORD_RESULTS)[number];

export const RECORD_LIMITS = { reasonLength: 1000, nextStepsLength: 1000 } as const;

/** The result the mediator sets before freezing; a failed mediation names its reason and the parties' next steps. */
export const recordOutcomeSchema = z
	.object({
		result: z.enum(RECORD_RESULTS, { error: 'invalid' }),
		reason: z.string().trim().max(RECORD_LIMITS.reasonLength, 'too_long').default(''),
		nextSteps: z.string().trim().max(RECORD_LIMITS.nextStepsLength, 'too_long').default('')
	})
	.strict()
	.superRefine((v, ctx) => {
		if (v.result !== 'failed') return;
		if (!v.reason) ctx.addIssue({ code: 'custom', message: 'required', path: ['reason'] });
		if (!v.nextSteps) ctx.addIssue({ code: 'custom', message: 'required', path: ['nextSteps'] });
	});
export type RecordOutcome = z.output<typeof recordOutcomeSchema>;

/** Someone at the session as the record's header lists them, with each stay in the room or the office. */
export type RecordAttendee = {
	name: string;
	/** party (申请人 / 被申请人 by `side`), mediator, recorder, legal_expert or observer. */
	role: 'party' | 'mediator' | 'recorder' | 'legal_expert' | 'observer';
	side: 'applicant' | 'respondent' | null;
	stays: { presence: 'online' | 'in_person'; joinedAt: string; leftAt: string | null }[];
};

/** The record's header, filled from the session: when, where, the matter, and who was there. */
export type RecordHeader = {
	sessionId: string;
	scheduledFor: string;
	/** The first arrival and the last departure, when anyone came. */
	startedAt: string | null;
	endedAt: string | null;
	mode: 'online' | 'in_person' | 'hybrid';
	place: string | null;
	caseNumber: string;
	disputeType: string;
	facts: string;
	mediators: string[];
	recorder: string | null;
	attendees: RecordAttendee[];
};

/** What a record's draft shows besides its text: the header as it stands and the result set. */
export type RecordView = { header: RecordHeader; outcome: RecordOutcome | null };

/** The audit events of a draft, by kind: the agreement's and the record's are told apart in the timeline. */
export const DRAFT_EVENTS = {
	agreement: {
		drafted: 'agreement.drafted',
		version_saved: 'agreement.version_saved',
		version_restored: 'agreement.version_restored',
		frozen: 'agreement.frozen',
		unfrozen: 'agreement.unfrozen',
		signed: 'agreement.signed',
		signed_in_person: 'agreement.signed_in_person',
		signature_attested: 'agreement.signature_attested',
		sign_refused: 'agreement.sign_refused'
	},
	mediation_record: {
		drafted: 'record.drafted',
		version_saved: 'record.version_saved',
		version_restored: 'record.version_restored',
		frozen: 'record.frozen',
		unfrozen: 'record.unfrozen',
		signed: 'record.signed',
		signed_in_person: 'record.signed_in_person',
		signature_attested: 'record.signature_attested',
		sign_refused: 'record.sign_refused'
	}
} as const;
export type DraftStep = keyof (typeof DRAFT_EVENTS)['agreement'];
