import { CASE_TRANSITION_NAMES, type CaseTransition } from './cases.ts';

/** Events recorded besides the lifecycle's transitions, which are `case.<transition>`. */
const RECORDED_EVENTS = [
	'case.submitted',
	'case.acceptance_confirmed',
	'case.reassigned',
	'case.mediators_assigned',
	'evidence.added',
	'note.added',
	'expert.invited',
	'party.link_issued',
	'party.updated',
	'session.scheduled',
	'session.consultation_requested',
	'session.consultation_accepted',
	'session.cancelled',
	'session.started',
	'session.ended',
	'session.invitation_revoked',
	'session.invitation_reissued',
	'session.joined',
	'session.pin_failed',
	'session.attendance_marked',
	'session.attendance_unmarked',
	'agreement.drafted',
	'agreement.parties_may_edit',
	'agreement.version_saved',
	'agreement.version_restored',
	'agreement.frozen',
	'agreement.unfrozen',
	'agreement.signed',
	'agreement.signed_in_person',
	'agreement.signature_attested',
	'agreement.sign_refused',
	'agreement.sealed',
	'record.drafted',
	'record.outcome_set',
	'record.version_saved',
	'record.version_restored',
	'record.frozen',
	'record.unfrozen',
	'record.signed',
	'record.signed_in_person',
	'record.signature_attested',
	'record.sign_refused',
	'document.sealed',
	'oral_agreement.sign_refused',
	'survey.answered',
	'follow_up.scheduled',
	'follow_up.recorded',
	'follow_up.sign_refused',
	'follow_up.answered',
	'follow_up.answer_corrected',
	'notice.acknowledged',
	'notice.acknowledged_on_site'
] as const;

export type CaseEventType = `case.${CaseTransition}` | (typeof RECORDED_EVENTS)[number];

/** Every kind of event a case's audit log records: the timeline tells each in words. */
export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
	...CASE_TRANSITION_NAMES.map((transition) => `case.${transition}` as const),
	...RECORDED_EVENTS
];
