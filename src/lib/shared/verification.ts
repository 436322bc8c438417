import { z } from 'zod';
import type { SealedKind } from './documents.ts';

/**
 * What the public verification page says of a PDF, a SHA-256 or a QR code's agreement:
 * - `authentic`: a sealed agreement in this system's records, in force;
 * - `superseded`: in the records, but a later agreement of the same case replaced it;
 * - `unrecorded`: the file carries an intact seal of one of this system's organisations, yet no
 *   agreement in the records is this file;
 * - `altered`: the file carries a seal that no longer matches its bytes (changed after sealing);
 * - `not_sealed`: a PDF without a seal;
 * - `unknown`: no agreement in the records has this SHA-256 or id (nor does an intact seal of ours
 *   vouch for the file).
 */
export const VERIFICATION_STATUSES = [
	'authentic',
	'superseded',
	'unrecorded',
	'altered',
	'not_sealed',
	'unknown'
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/**
 * How far a seal holds up on its own (ETSI EN 319 142-1, PAdES baseline):
 * - `B-B`: the signature binds the committee's certificate (ESS signing-certificate-v2);
 * - `B-T`: and a timestamp authority vouches that it existed at a time;
 * - `B-LT`: and the file carries the certificates (and revocation lists) to check it later.
 * Seals made before the app signed to the profile carry none of these: their level is null.
 */
export const SEAL_LEVELS = ['B-B', 'B-T', 'B-LT'] as const;
export type SealLevel = (typeof SEAL_LEVELS)[number];

/**
 * The verification's answer, also the JSON body of `/verify` (dates as ISO 8601). It names the
 * sealing organisation and never anything of the agreement itself: no parties, no text, no case.
 */
export type Verification = {
	status: VerificationStatus;
	/** Which document of record it is, when it is in the records. */
	kind: SealedKind | null;
	/** SHA-256 of the file (of the uploaded one, or of the recorded one), lower-case hex. */
	sha256: string | null;
	/** The seal certificate's organisation (O) and common name (CN). */
	organisation: string | null;
	commonName: string | null;
	/** The org node whose seal it is, e.g. the town. */
	orgNodeName: string | null;
	sealedAt: Date | null;
	/** The seal's PAdES level, read from the file; null for a seal made before the profile, or no file. */
	level: SealLevel | null;
	/** When a timestamp authority vouches the seal existed (B-T and above). */
	timestampedAt: Date | null;
	pages: number | null;
	supersededAt: Date | null;
};

/** Largest PDF the page checks; an agreement is well under a megabyte. */
export const VERIFY_MAX_BYTES = 20 * 1024 * 1024;

const sha256 = z
	.string()
	.trim()
	.regex(/^[0-9a-fA-F]{64}$/, 'invalid')
	.transform((hex) => hex.toLowerCase());

/** A SHA-256 typed in on the verification page. */
export const sha256QuerySchema = z.object({ sha256 });

/** The agreement's id, from the QR code on its certificate page. */
export const agreementQuerySchema = z.object({ agreement: z.uuid('invalid') });

/** Another sealed document's id, from the QR code on its certificate page. */
export const documentQuerySchema = z.object({ document: z.uuid('invalid') });
