import type { InvitationState, ParticipantRole, SessionKind, SessionMode, SessionStatus } from '$lib/shared/sessions';
import { m } from './paraglide/messages';
import type { Locale } from './paraglide/runtime';

/** Display names of the sessions' enumerations, in the current language (or in `locale`). */
export const sessionKindLabel = (kind: SessionKind, locale?: Locale): string =>
	({ mediation: m.session_kind_mediation, consultation: m.session_kind_consultation })[kind]({}, { locale });

export const sessionModeLabel = (mode: SessionMode): string =>
	({ online: m.session_mode_online, in_person: m.session_mode_in_person, hybrid: m.session_mode_hybrid })[mode]();

export const sessionStatusLabel = (status: SessionStatus): string =>
	({
		requested: m.session_status_requested,
		scheduled: m.session_status_scheduled,
		live: m.session_status_live,
		ended: m.session_status_ended,
		cancelled: m.session_status_cancelled
	})[status]();

export const participantRoleLabel = (role: ParticipantRole): string =>
	({
		mediator: m.participant_role_mediator,
		party: m.participant_role_party,
		legal_expert: m.participant_role_legal_expert,
		observer: m.participant_role_observer
	})[role]();

export const invitationStateLabel = (state: InvitationState): string =>
	({
		open: m.invitation_state_open,
		revoked: m.invitation_state_revoked,
		cancelled: m.invitation_state_cancelled,
		ended: m.invitation_state_ended,
		expired: m.invitation_state_expired,
		locked: m.invitation_state_locked,
		pending: m.invitation_state_pending
	})[state]();

/** Why an invitation admits nobody, as the invited person should read it. */
export const joinRefusal = (state: Exclude<InvitationState, 'open'>): string =>
	({
		revoked: m.join_revoked,
		cancelled: m.join_cancelled,
		ended: m.join_ended,
		expired: m.join_expired,
		locked: m.join_locked,
		pending: m.join_pending
	})[state]();
