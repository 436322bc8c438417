import { encodeSealKey, openSealKey, type NewSealKey, type SealKey } from './seal-key.ts';

/**
 * An admin's own .p12 in place of the generated seal: checked (passphrase, private key, its
 * certificate, valid today) and stored re-encoded, so the sealer reads one form only.
 */
export function importSealKey(key: SealKey, now = new Date()): NewSealKey {
	return encodeSealKey(openSealKey(key, now), key.passphrase);
}
