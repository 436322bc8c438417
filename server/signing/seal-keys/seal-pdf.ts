import { createHash } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { AppError } from '#shared/errors.ts';
import type { SealLevel } from '#shared/verification.ts';
import { addValidationData } from '../pades/add-validation-data.ts';
import { fetchRevocationLists } from '../pades/fetch-revocation-lists.ts';
import { requestTimestamp, type TimestampAuthority } from '../pades/request-timestamp.ts';
import { signCms, type CmsSigner, type StampSignature } from '../pades/sign-cms.ts';
import { openSealKey, type OpenedSealKey, type SealKey } from './seal-key.ts';

// With the seal keys: the one place where a seal key signs anything.

/** Room for the CMS signature in the file: the certificate chain of an imported .p12 fits, and with a timestamp its token. */
const SIGNATURE_BYTES = 16 * 1024;
const STAMPED_SIGNATURE_BYTES = 32 * 1024;

export type SealDetails = {
	name: string;
	location: string;
	reason: string;
	signingTime: Date;
	/** Stamps the seal (B-T) and adds its validation data (B-LT); without one, the seal is B-B. */
	timestampAuthority?: TimestampAuthority;
};

/** The sealed PDF, the PAdES level it reached, and why a timestamp was asked for and not had. */
export type SealedPdf = { pdf: Uint8Array; level: SealLevel; stampFailure: string | null };

/** The seal key as the CMS signer wants it: a WebCrypto key and DER certificates. */
async function cmsSignerOf(opened: OpenedSealKey): Promise<CmsSigner> {
	const der = (certificate: forge.pki.Certificate) =>
		new Uint8Array(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary'));
	const pkcs8 = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(opened.privateKey));
	const privateKey = await crypto.subtle.importKey(
		'pkcs8',
		Buffer.from(forge.asn1.toDer(pkcs8).getBytes(), 'binary'),
		{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
		false,
		['sign']
	);
	return { privateKey, certificate: der(opened.certificate), chain: opened.chain.map(der) };
}

/** @signpdf's signer, making the PAdES CMS over the signed byte ranges. */
class SealSigner extends Signer {
	readonly #signer: CmsSigner;
	readonly #stamp: StampSignature | undefined;

	constructor(signer: CmsSigner, stamp?: StampSignature) {
		super();
		this.#signer = signer;
		this.#stamp = stamp;
	}

	async sign(content: Buffer): Promise<Buffer> {
		return Buffer.from(await signCms(content, this.#signer, this.#stamp));
	}
}

/*
 * Opening a .p12 runs its key derivation in JavaScript (a tenth of a second), so the last key
 * opened is kept, checked again for validity at each use.
 */
let lastOpened: { id: string; key: OpenedSealKey; signer: Promise<CmsSigner> } | undefined;

function openCached(key: SealKey, now: Date): Promise<CmsSigner> {
	const id = createHash('sha256').update(key.p12).update('\0').update(key.passphrase).digest('hex');
	if (lastOpened?.id !== id) {
		const opened = openSealKey(key, now);
		lastOpened = { id, key: opened, signer: cmsSignerOf(opened) };
	}
	const { notBefore, notAfter } = lastOpened.key.certificate.validity;
	// Refused with the reason a fresh opening gives.
	if (now < notBefore || now > notAfter) openSealKey(key, now);
	return lastOpened.signer;
}

/**
 * A PDF text string in UTF-16BE with its byte-order mark, escaped for a literal string: the
 * placeholder writes the strings it is given byte for byte, and these hold Chinese.
 */
function textString(value: string): string {
	let bytes = '\u00fe\u00ff';
	for (let index = 0; index < value.length; index++) {
		const unit = value.charCodeAt(index);
		bytes += String.fromCharCode(unit >> 8, unit & 0xff);
	}
	return bytes.replace(/[()\\]/g, (char) => '\\' + char);
}

/**
 * The PDF with a PAdES signature (ETSI.CAdES.detached, baseline B-B) over the whole file, made
 * with the seal's key: any later change to a byte of it shows. With a timestamp authority, the
 * signature is stamped (B-T) and the certificates and revocation lists a validator needs are
 * added after it (B-LT); an authority that fails leaves a B-B seal and says why.
 */
export async function sealPdf(pdf: Uint8Array, key: SealKey, details: SealDetails): Promise<SealedPdf> {
	const signer = await openCached(key, details.signingTime);
	let doc: PDFDocument;
	try {
		doc = await PDFDocument.load(pdf, { updateMetadata: false });
	} catch (error) {
		throw new AppError('VALIDATION', { fields: { pdf: ['unreadable'] }, cause: error });
	}
	const authority = details.timestampAuthority;
	pdflibAddPlaceholder({
		pdfDoc: doc,
		reason: textString(details.reason),
		contactInfo: '',
		name: textString(details.name),
		location: textString(details.location),
		signingTime: details.signingTime,
		signatureLength: authority ? STAMPED_SIGNATURE_BYTES : SIGNATURE_BYTES,
		subFilter: SUBFILTER_ETSI_CADES_DETACHED
	});
	const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
	let stampFailure: string | null = null;
	let authorityCertificate: Uint8Array | null = null;
	const stamp: StampSignature | undefined = authority
		? async (signature) => {
				try {
					const stamped = await requestTimestamp(authority, signature);
					authorityCertificate = stamped.authorityCertificate;
					return stamped.token;
				} catch (error) {
					stampFailure = error instanceof Error ? error.message : String(error);
					return null;
				}
			}
		: undefined;
	const signed = await new SignPdf().sign(prepared, new SealSigner(signer, stamp), details.signingTime);
	const sealed = new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
	if (!authority || stampFailure) return { pdf: sealed, level: 'B-B', stampFailure };
	const certificates = [signer.certificate, ...signer.chain, ...(authorityCertificate ? [authorityCertificate] : [])];
	const crls = await fetchRevocationLists([signer.certificate, ...signer.chain]);
	return { pdf: await addValidationData(sealed, { certificates, crls }), level: 'B-LT', stampFailure };
}
