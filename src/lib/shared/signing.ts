/**
 * Signing a draft: who signs the frozen version, and what everyone sees of it. Every party and one
 * of the mediators must sign; an invited legal expert may sign an agreement; a session's record is
 * signed by the parties present, the mediators and the recorder, who must.
 */
export type SignerRole = 'party' | 'mediator' | 'expert' | 'recorder';

export type SignerView = {
	/** `party:<case party id>` or `user:<id>`. */
	key: string;
	name: string;
	role: SignerRole;
	/** ISO time of their signature on the frozen version, if they signed it. */
	signedAt: string | null;
};

export type SealedAgreementView = { id: string; sha256: string; sealedAt: string; pages: number };

export type SigningView = {
	/** The frozen version being signed, or none when nothing is frozen. */
	versionId: string | null;
	signers: SignerView[];
	/** Every party and a mediator signed. */
	complete: boolean;
	/** The newest sealed agreement of the case, if any. */
	sealed: SealedAgreementView | null;
};

/** Largest drawn signature (PNG) the server takes. */
export const MAX_SIGNATURE_BYTES = 512 * 1024;
/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What confirms a signer is who they say: their account password, or the PIN of their invitation. */
export type SignerProof = 'password' | 'pin';

/**
 * How a signature was made: on the signer's own device; in person on a mediator's device, the
 * signer typing their own PIN or password; or, for someone with neither, attested by the mediator
 * (their own password) with a photo of the signature the person put on paper.
 */
export const SIGNATURE_METHODS = ['own_device', 'in_person_pin', 'in_person_password', 'attested'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

/**
 * Largest photo of a paper signature the server takes. The browser scales the photo down before
 * sending it, so that it and the drawn signature fit in one realtime message.
 */
export const MAX_PAPER_PHOTO_BYTES = 400 * 1024;
/** The longest side the browser scales a photo of a paper signature to. */
export const PAPER_PHOTO_MAX_SIDE = 1600;

/**
 * Someone the mediator may have sign on their own device: a signer of the case marked present in
 * the office at one of its sessions who has not signed the frozen version. `proof` is what they
 * type (their account's password, the PIN of their invitation), null when they have neither;
 * `attestable` when the mediator may attest their paper signature instead (parties only).
 */
export type InPersonSignerView = {
	key: string;
	name: string;
	role: SignerRole;
	proof: SignerProof | null;
	attestable: boolean;
};

/** Whether the signatures in `signers` complete the document: every party, a mediator, and the recorder if any. */
export function signaturesComplete(signers: SignerView[]): boolean {
	const signed = (role: SignerRole) => signers.filter((s) => s.role === role);
	return (
		signed('party').length > 0 &&
		signed('party').every((s) => s.signedAt) &&
		signed('mediator').some((s) => s.signedAt) &&
		signed('recorder').every((s) => s.signedAt)
	);
}

/**
 * Whether the document still waits for `signer`: a party or the recorder who has not signed, or a mediator while
 * no mediator has. A legal expert's signature, and a second mediator's, are never waited for.
 */
export function awaitsSignature(signer: SignerView, signers: SignerView[]): boolean {
	if (signer.signedAt) return false;
	if (signer.role === 'party' || signer.role === 'recorder') return true;
	return signer.role === 'mediator' && !signers.some((s) => s.role === 'mediator' && s.signedAt);
}
