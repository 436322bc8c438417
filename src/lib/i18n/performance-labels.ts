import {
	MAX_PROOFS_PER_ITEM,
	MAX_PROOFS_PER_UPLOAD,
	PROOF_MAX_BYTES,
	type PerformanceItemKind,
	type PerformanceState
} from '$lib/shared/performance';
import { fieldErrorMessage } from './error-messages';
import { m } from './paraglide/messages';

export const performanceStateLabel = (state: PerformanceState): string =>
	({
		planned: m.performance_state_planned,
		reported: m.performance_state_reported,
		confirmed: m.performance_state_confirmed,
		waived: m.performance_state_waived
	})[state]();

export const performanceKindLabel = (kind: PerformanceItemKind): string =>
	({ payment: m.performance_kind_payment, act: m.performance_kind_act })[kind]();

/** A due day (`YYYY-MM-DD`) as a date in the reader's language; read at noon in China so that no zone moves it. */
export const dueDay = (day: string, format: Intl.DateTimeFormat): string =>
	format.format(new Date(`${day}T12:00:00+08:00`));

/** A field code of a proof upload in words, with the proof's own limits. */
export function proofErrorMessage(code: string): string {
	switch (code) {
		case 'too_many':
			return m.performance_proof_too_many({ max: MAX_PROOFS_PER_UPLOAD, cap: MAX_PROOFS_PER_ITEM });
		case 'too_large':
			return m.performance_proof_too_large({ mb: PROOF_MAX_BYTES / 1024 / 1024 });
		case 'required':
			return m.performance_proof_required();
		default:
			return fieldErrorMessage(code);
	}
}
