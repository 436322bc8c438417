import { m } from './paraglide/messages';
import type { SealLevel } from '$lib/shared/verification';
import { fieldErrorMessage } from './error-messages';

/** Why a .p12 was refused (the field codes of server/signing/seal-keys/seal-key.ts), as a sentence. */
export function sealErrorMessage(code: string, maxKb: number): string {
	switch (code) {
		case 'required':
			return m.seal_error_required();
		case 'too_large':
			return m.seal_error_too_large({ kb: maxKb });
		case 'unreadable':
			return m.seal_error_unreadable();
		case 'wrong_passphrase':
			return m.seal_error_wrong_passphrase();
		case 'no_private_key':
			return m.seal_error_no_private_key();
		case 'unsupported_key':
			return m.seal_error_unsupported_key();
		case 'no_certificate':
			return m.seal_error_no_certificate();
		case 'key_mismatch':
			return m.seal_error_key_mismatch();
		case 'expired':
			return m.seal_error_expired();
		case 'not_yet_valid':
			return m.seal_error_not_yet_valid();
		case 'taken':
			return m.seal_error_taken();
		default:
			return fieldErrorMessage(code);
	}
}

/** Why a file or hash could not be checked on the verification page, as a sentence. */
export function verifyErrorMessage(code: string, maxMb: number): string {
	switch (code) {
		case 'file_type':
			return m.verify_error_file_type();
		case 'required':
		case 'empty_file':
			return m.verify_error_required();
		case 'too_large':
			return m.verify_error_too_large({ mb: maxMb });
		case 'invalid':
			return m.verify_error_sha256();
		default:
			return fieldErrorMessage(code);
	}
}

/** What a seal's PAdES level means, for the verification page; null is a seal from before the profile. */
export function sealLevelLabel(level: SealLevel | null): string {
	switch (level) {
		case 'B-B':
			return m.verify_level_b_b();
		case 'B-T':
			return m.verify_level_b_t();
		case 'B-LT':
			return m.verify_level_b_lt();
		case null:
			return m.verify_level_legacy();
	}
}
