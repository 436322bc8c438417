import type { TimelineEvent } from '#server/cases/get-case.ts';
import type { CaseEventType } from '$lib/shared/case-events';
import { m } from './paraglide/messages';

type Sentence = (inputs: { actor: string }) => string;

/** A sentence for every event type, in each language: the timeline never shows a raw code. */
export const TIMELINE_SENTENCES: Record<CaseEventType, Sentence> = {
	'case.submitted': m.timeline_case_submitted,
	'case.accept': m.timeline_case_accept,
	'case.reject': m.timeline_case_reject,
	'case.schedule': m.timeline_case_schedule,
	'case.start': m.timeline_case_start,
	'case.resolve': m.timeline_case_resolve,
	'case.resolve_orally': m.timeline_case_resolve_orally,
	'case.fail': m.timeline_case_fail,
	'case.withdraw': m.timeline_case_withdraw,
	'case.escalate': m.timeline_case_escalate,
	'case.close': m.timeline_case_close,
	'case.acceptance_confirmed': m.timeline_case_acceptance_confirmed,
	'case.reassigned': m.timeline_case_reassigned,
	'case.mediators_assigned': m.timeline_case_mediators_assigned,
	'evidence.added': m.timeline_evidence_added,
	'note.added': m.timeline_note_added,
	'expert.invited': m.timeline_expert_invited,
	'party.link_issued': m.timeline_party_link_issued,
	'party.updated': m.timeline_party_updated,
	'session.scheduled': m.timeline_session_scheduled,
	'session.consultation_requested': m.timeline_session_consultation_requested,
	'session.consultation_accepted': m.timeline_session_consultation_accepted,
	'session.cancelled': m.timeline_session_cancelled,
	'session.started': m.timeline_session_started,
	'session.ended': m.timeline_session_ended,
	'agreement.drafted': m.timeline_agreement_drafted,
	'agreement.parties_may_edit': m.timeline_agreement_parties_may_edit,
	'agreement.version_saved': m.timeline_agreement_version_saved,
	'agreement.version_restored': m.timeline_agreement_version_restored,
	'agreement.frozen': m.timeline_agreement_frozen,
	'agreement.unfrozen': m.timeline_agreement_unfrozen,
	'agreement.signed': m.timeline_agreement_signed,
	'agreement.signed_in_person': m.timeline_agreement_signed_in_person,
	'agreement.signature_attested': m.timeline_agreement_signature_attested,
	'agreement.sign_refused': m.timeline_agreement_sign_refused,
	'agreement.sealed': m.timeline_agreement_sealed,
	'record.drafted': m.timeline_record_drafted,
	'record.outcome_set': m.timeline_record_outcome_set,
	'record.version_saved': m.timeline_record_version_saved,
	'record.version_restored': m.timeline_record_version_restored,
	'record.frozen': m.timeline_record_frozen,
	'record.unfrozen': m.timeline_record_unfrozen,
	'record.signed': m.timeline_record_signed,
	'record.signed_in_person': m.timeline_record_signed_in_person,
	'record.signature_attested': m.timeline_record_signature_attested,
	'record.sign_refused': m.timeline_record_sign_refused,
	'document.sealed': m.timeline_document_sealed,
	'oral_agreement.sign_refused': m.timeline_oral_agreement_sign_refused,
	'session.invitation_revoked': m.timeline_session_invitation_revoked,
	'session.invitation_reissued': m.timeline_session_invitation_reissued,
	'session.joined': m.timeline_session_joined,
	'session.pin_failed': m.timeline_session_pin_failed,
	'survey.answered': m.timeline_survey_answered,
	'follow_up.scheduled': m.timeline_follow_up_scheduled,
	'follow_up.recorded': m.timeline_follow_up_recorded,
	'follow_up.sign_refused': m.timeline_follow_up_sign_refused,
	'follow_up.answered': m.timeline_follow_up_answered,
	'follow_up.answer_corrected': m.timeline_follow_up_answer_corrected,
	'notice.acknowledged': m.timeline_notice_acknowledged,
	'notice.acknowledged_on_site': m.timeline_notice_acknowledged_on_site,
	'session.attendance_marked': m.timeline_session_attendance_marked,
	'session.attendance_unmarked': m.timeline_session_attendance_unmarked
};

/** One audit event as a sentence in the current language: who did what. */
export function timelineSentence(event: Pick<TimelineEvent, 'action' | 'actorName'>): string {
	const actor = event.actorName || m.timeline_someone();
	// Older or unknown events read as their code rather than not at all.
	const sentence = TIMELINE_SENTENCES[event.action as CaseEventType];
	return sentence ? sentence({ actor }) : m.timeline_other({ actor, action: event.action });
}
