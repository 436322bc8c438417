import { DRAFT_LIMITS } from '$lib/shared/draft-limits';
import { EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES } from '$lib/shared/cases';
import type { ErrorCode } from '$lib/shared/errors';
import type { FieldErrorCode } from '$lib/shared/validation';
import { m } from './paraglide/messages';

/** A sentence in the current language for an error code from the server. */
export function errorMessage(code: ErrorCode, retryAfterSeconds = 0): string {
	switch (code) {
		case 'VALIDATION':
			return m.error_validation();
		case 'UNAUTHENTICATED':
			return m.error_unauthenticated();
		case 'INVALID_CREDENTIALS':
			return m.error_invalid_credentials();
		case 'FORBIDDEN':
			return m.error_forbidden();
		case 'BEYOND_SCOPE':
			return m.error_beyond_scope();
		case 'NOT_FOUND':
			return m.error_not_found();
		case 'CONFLICT':
			return m.error_conflict();
		case 'INVALID_TRANSITION':
			return m.error_invalid_transition();
		case 'NOTICE_NOT_ACKNOWLEDGED':
			return m.error_notice_not_acknowledged();
		case 'SETUP_COMPLETE':
			return m.error_setup_complete();
		case 'PUBLIC_ORIGIN_UNSET':
			return m.error_public_origin_unset();
		case 'PAYLOAD_TOO_LARGE':
			return m.error_payload_too_large();
		case 'DRAFT_LIMIT':
			return m.error_draft_limit({
				depth: DRAFT_LIMITS.depth,
				nodes: DRAFT_LIMITS.nodes,
				chars: DRAFT_LIMITS.textLength,
				mb: DRAFT_LIMITS.bytes / 1024 / 1024,
				comments: DRAFT_LIMITS.comments
			});
		case 'RATE_LIMITED':
			return m.error_rate_limited({ minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) });
		case 'TOO_MANY_CONNECTIONS':
			return m.error_too_many_connections();
		case 'INTERNAL':
			return m.error_internal();
		case 'UNAVAILABLE':
			return m.error_unavailable();
	}
}

const FIELD_MESSAGES: Record<FieldErrorCode, () => string> = {
	required: m.field_required,
	too_short: m.field_too_short,
	too_long: m.field_too_long,
	invalid: m.field_invalid,
	mismatch: m.field_mismatch,
	taken: m.field_taken,
	too_many: () => m.field_too_many({ max: EVIDENCE_MAX_FILES }),
	too_large: () => m.field_too_large({ mb: EVIDENCE_MAX_BYTES / 1024 / 1024 }),
	total_too_large: m.field_total_too_large,
	file_type: m.field_file_type,
	empty_file: m.field_empty_file,
	no_committee: m.field_no_committee,
	outside_grid: m.field_outside_grid,
	committee_busy: m.field_committee_busy,
	changed_too_often: m.field_changed_too_often,
	no_parent: m.field_no_parent,
	in_past: m.field_in_past,
	check_character: m.field_check_character,
	not_as_id_number: m.field_not_as_id_number,
	in_future: m.field_in_future,
	not_a_phone: m.field_not_a_phone,
	scan_type: m.field_scan_type,
	no_failed_record: m.field_no_failed_record,
	not_present: m.field_not_present,
	no_proof: m.field_no_proof,
	not_attestable: m.field_not_attestable,
	not_image: m.field_not_image,
	window_closed: m.field_window_closed,
	undecided: m.field_undecided,
	out_of_order: m.field_out_of_order,
	before_agreement: m.field_before_agreement
};

export function fieldErrorMessage(code: string): string {
	return (FIELD_MESSAGES[code as FieldErrorCode] ?? m.field_invalid)();
}
