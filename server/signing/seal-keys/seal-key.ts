import forge from 'node-forge';
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { parseInput } from '../../parse-input.ts';

/** The committee's seal: its certificate and private key as PKCS #12, and the passphrase that opens it. */
export type SealKey = { p12: Uint8Array; passphrase: string };
/** A seal key as this module writes it, with its certificate described: ready to store (a Buffer fits a bytea column). */
export type NewSealKey = { p12: Buffer; passphrase: string; certificate: SealCertificate };

/** What a seal certificate says, for the admin's page and the verification page. */
export type SealCertificate = {
	organisation: string | null;
	commonName: string | null;
	serialNumber: string;
	/** SHA-256 of the certificate, lower-case hex. */
	fingerprint: string;
	notBefore: Date;
	notAfter: Date;
};

/** A .p12 is a few kilobytes; anything near this is not one. */
export const MAX_P12_BYTES = 64 * 1024;

const sealKeySchema = z.object({
	p12: z
		.custom<Uint8Array>((value) => value instanceof Uint8Array)
		.refine((bytes) => bytes.byteLength > 0 && bytes.byteLength <= MAX_P12_BYTES, 'too_large'),
	passphrase: z.string().max(1024)
});

export type OpenedSealKey = {
	privateKey: forge.pki.rsa.PrivateKey;
	certificate: forge.pki.Certificate;
	/** The other certificates in the file (issuers), in file order. */
	chain: forge.pki.Certificate[];
};

/**
 * Why a .p12 cannot seal, as field codes of a VALIDATION error: `passphrase: wrong_passphrase`,
 * or `p12:` one of the others.
 */
export const SEAL_KEY_ERRORS = [
	'unreadable',
	'wrong_passphrase',
	'no_private_key',
	'unsupported_key',
	'no_certificate',
	'key_mismatch',
	'expired',
	'not_yet_valid'
] as const;
type SealKeyError = (typeof SEAL_KEY_ERRORS)[number];

const invalid = (field: 'p12' | 'passphrase', reason: SealKeyError, cause?: unknown) =>
	new AppError('VALIDATION', { fields: { [field]: [reason] }, cause });

/**
 * forge leaves the UTF8String values of a parsed certificate's names as UTF-8 bytes, yet encodes
 * them again when it writes the issuer into a signature, which then names no certificate. Decoded
 * here once, they read as text and are written back as they were.
 */
function decodeNames(certificate: forge.pki.Certificate): forge.pki.Certificate {
	for (const name of [certificate.subject, certificate.issuer]) {
		for (const attribute of name.attributes as { value: string; valueTagClass?: number }[]) {
			if (attribute.valueTagClass === forge.asn1.Type.UTF8) attribute.value = forge.util.decodeUtf8(attribute.value);
		}
	}
	return certificate;
}

const nameField = (certificate: forge.pki.Certificate, shortName: string): string | null =>
	(certificate.subject.getField(shortName) as { value: string } | null)?.value ?? null;

export function describeCertificate(certificate: forge.pki.Certificate): SealCertificate {
	const der = forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes();
	return {
		organisation: nameField(certificate, 'O'),
		commonName: nameField(certificate, 'CN'),
		serialNumber: certificate.serialNumber,
		fingerprint: forge.md.sha256.create().update(der).digest().toHex(),
		notBefore: certificate.validity.notBefore,
		notAfter: certificate.validity.notAfter
	};
}

/**
 * Opens a .p12 with its passphrase and checks it can seal today: it parses, holds an RSA private
 * key and the certificate of that key, and the certificate is valid at `now`.
 */
export function openSealKey(key: SealKey, now = new Date()): OpenedSealKey {
	const { p12, passphrase } = parseInput(sealKeySchema, key);
	let parsed: forge.pkcs12.Pkcs12Pfx;
	try {
		const asn1 = forge.asn1.fromDer(forge.util.binary.raw.encode(p12));
		parsed = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
	} catch (error) {
		// forge says so only in its message: a MAC that fails to verify is a wrong passphrase.
		const wrongPassphrase = error instanceof Error && /MAC could not be verified|Invalid password/i.test(error.message);
		throw wrongPassphrase ? invalid('passphrase', 'wrong_passphrase', error) : invalid('p12', 'unreadable', error);
	}
	const keys = [forge.pki.oids.pkcs8ShroudedKeyBag, forge.pki.oids.keyBag].flatMap(
		(bagType) => parsed.getBags({ bagType })[bagType] ?? []
	);
	const privateKey = keys.find((bag) => bag.key)?.key as forge.pki.rsa.PrivateKey | undefined;
	if (!privateKey) throw invalid('p12', keys.length ? 'unsupported_key' : 'no_private_key');
	const certificates = (parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
		.map((bag) => bag.cert)
		.filter((cert): cert is forge.pki.Certificate => Boolean(cert))
		.map(decodeNames);
	if (!certificates.length) throw invalid('p12', 'no_certificate');
	const certificate = certificates.find((cert) => {
		const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
		return publicKey.n?.equals(privateKey.n) && publicKey.e?.equals(privateKey.e);
	});
	if (!certificate) throw invalid('p12', 'key_mismatch');
	if (now < certificate.validity.notBefore) throw invalid('p12', 'not_yet_valid');
	if (now > certificate.validity.notAfter) throw invalid('p12', 'expired');
	return { privateKey, certificate, chain: certificates.filter((cert) => cert !== certificate) };
}

/** A .p12 in the one form the sealer reads: key shrouded with AES-256, certificate first, then its chain. */
export function encodeSealKey(opened: OpenedSealKey, passphrase: string): NewSealKey {
	const asn1 = forge.pkcs12.toPkcs12Asn1(opened.privateKey, [opened.certificate, ...opened.chain], passphrase, {
		algorithm: 'aes256',
		friendlyName: 'seal'
	});
	const p12 = Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
	return { p12, passphrase, certificate: describeCertificate(opened.certificate) };
}
