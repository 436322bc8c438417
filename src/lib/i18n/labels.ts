import type {
	AcceptanceSource,
	CaseChannel,
	CaseOutcome,
	CaseStatus,
	CaseTransition,
	DeadlineState,
	DisputeType,
	PartySide,
	ReferralTarget
} from '$lib/shared/cases';
import type { SealedKind } from '$lib/shared/documents';
import type { SessionChoice } from '$lib/shared/notice';
import type { RecordResult } from '$lib/shared/mediation-record';
import type { CommitteePosition, OrgKind } from '$lib/shared/orgs';
import type { Role } from '$lib/shared/roles';
import type { ChainBreak } from '#server/audit/verify-case-chain.ts';
import { m } from './paraglide/messages';

/** Display names of the domain's enumerations, in the current language. */
export const roleLabel = (role: Role): string =>
	({
		admin: m.role_admin,
		mediator: m.role_mediator,
		legal_expert: m.role_legal_expert,
		grid_worker: m.role_grid_worker,
		party: m.role_party
	})[role]();

export const orgKindLabel = (kind: OrgKind): string =>
	({
		county: m.org_kind_county,
		town: m.org_kind_town,
		village: m.org_kind_village,
		community: m.org_kind_community,
		group: m.org_kind_group,
		mediation_body: m.org_kind_mediation_body,
		expert_roster: m.org_kind_expert_roster
	})[kind]();

export const positionLabel = (position: CommitteePosition): string =>
	({ head: m.position_head, member: m.position_member })[position]();

export const caseStatusLabel = (status: CaseStatus): string =>
	({
		submitted: m.case_status_submitted,
		accepted: m.case_status_accepted,
		rejected: m.case_status_rejected,
		scheduled: m.case_status_scheduled,
		in_mediation: m.case_status_in_mediation,
		resolved: m.case_status_resolved,
		failed: m.case_status_failed,
		withdrawn: m.case_status_withdrawn,
		escalated: m.case_status_escalated,
		closed: m.case_status_closed
	})[status]();

/** An outcome: the status it ended in, or how a resolution came about. */
export const caseOutcomeLabel = (outcome: CaseOutcome): string =>
	outcome === 'resolved_orally' ? m.case_outcome_resolved_orally() : caseStatusLabel(outcome);

export const acceptanceSourceLabel = (source: AcceptanceSource): string =>
	({
		party_application: m.acceptance_source_party_application,
		committee_initiative: m.acceptance_source_committee_initiative,
		police_referral: m.acceptance_source_police_referral,
		court_referral: m.acceptance_source_court_referral,
		government_assignment: m.acceptance_source_government_assignment,
		grid_report: m.acceptance_source_grid_report
	})[source]();

export const disputeTypeLabel = (type: DisputeType): string =>
	({
		land: m.dispute_type_land,
		neighbour: m.dispute_type_neighbour,
		family: m.dispute_type_family,
		damage_compensation: m.dispute_type_damage_compensation,
		labour: m.dispute_type_labour,
		contract: m.dispute_type_contract,
		other: m.dispute_type_other
	})[type]();

export const channelLabel = (channel: CaseChannel): string =>
	({
		online: m.case_channel_online,
		grid_report: m.case_channel_grid_report,
		walk_in: m.case_channel_walk_in,
		referral: m.case_channel_referral
	})[channel]();

export const referralTargetLabel = (target: ReferralTarget): string =>
	({
		court: m.referral_target_court,
		arbitration: m.referral_target_arbitration,
		petition_office: m.referral_target_petition_office,
		other: m.referral_target_other
	})[target]();

/** A party's choice of a public or closed session, in short. */
export const sessionChoiceLabel = (choice: SessionChoice): string =>
	({ public: m.notice_choice_public_short, closed: m.notice_choice_closed_short })[choice]();

export const partySideLabel = (side: PartySide): string =>
	({ applicant: m.party_side_applicant, respondent: m.party_side_respondent })[side]();

export const deadlineLabel = (state: Exclude<DeadlineState, null>): string =>
	({ overdue: m.deadline_overdue, near: m.deadline_near, on_time: m.deadline_on_time })[state]();

export const transitionLabel = (transition: CaseTransition): string =>
	({
		accept: m.case_transition_accept,
		reject: m.case_transition_reject,
		schedule: m.case_transition_schedule,
		start: m.case_transition_start,
		resolve: m.case_transition_resolve,
		resolve_orally: m.case_transition_resolve_orally,
		fail: m.case_transition_fail,
		withdraw: m.case_transition_withdraw,
		escalate: m.case_transition_escalate,
		close: m.case_transition_close
	})[transition]();

export const chainBreakLabel = (reason: ChainBreak): string =>
	({
		missing_event: m.audit_break_missing_event,
		prev_mismatch: m.audit_break_prev_mismatch,
		hash_mismatch: m.audit_break_hash_mismatch
	})[reason]();

export const sealedKindLabel = (kind: SealedKind): string =>
	({
		agreement: m.document_kind_agreement,
		acceptance_register: m.document_kind_acceptance_register,
		mediation_record: m.document_kind_mediation_record,
		oral_agreement: m.document_kind_oral_agreement,
		follow_up_record: m.document_kind_follow_up_record,
		case_file: m.document_kind_case_file,
		judicial_confirmation: m.document_kind_judicial_confirmation
	})[kind]();

export const recordResultLabel = (result: RecordResult): string =>
	({
		agreed: m.record_result_agreed,
		failed: m.record_result_failed,
		adjourned: m.record_result_adjourned
	})[result]();
