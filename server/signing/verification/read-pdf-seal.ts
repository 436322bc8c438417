import { createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { AppError } from '#shared/errors.ts';
import type { SealLevel } from '#shared/verification.ts';
import { DIGESTS, OID } from '../pades/cms-oids.ts';
import { readTimestampToken, signerCertificate } from '../pades/timestamp-token.ts';
import { readValidationUpdate } from './read-validation-update.ts';

/** What the seal of a PDF says, checked the way pdfsig checks it, without the certificate's trust. */
export type PdfSeal = {
	/** The file is exactly what was sealed: all of it signed (or followed only by validation data), digest, signature and any timestamp as they were made. */
	intact: boolean;
	/** The signature's byte ranges cover the whole file but the signature itself, or all of it before an update that only adds validation data. */
	coversWholeFile: boolean;
	/** The signed bytes hash to the digest in the signature. */
	digestMatches: boolean;
	/** The signature over that digest verifies with the signer's certificate. */
	signatureMatches: boolean;
	subFilter: string | null;
	organisation: string | null;
	commonName: string | null;
	/** SHA-256 of the signer's certificate, lower-case hex: which seal made it. */
	certificateFingerprint: string;
	/** The signing time the seal states: the signature dictionary's /M (or, in seals before PAdES, a signed attribute). */
	signedAt: Date | null;
	/** PAdES baseline level reached; null for a CMS seal without the profile's attributes. */
	level: SealLevel | null;
	/** The timestamp authority's time, when the seal carries a valid timestamp. */
	timestampedAt: Date | null;
};

/** Why a file has no seal to read, as the `file` field code of a VALIDATION error. */
export type PdfSealError = 'file_type' | 'not_sealed' | 'unreadable_seal';

const refuse = (reason: PdfSealError, cause?: unknown) =>
	new AppError('VALIDATION', { fields: { file: [reason] }, cause });

const bytesOf = (view: ArrayBufferView | ArrayBuffer) =>
	view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** A PDF date, D:YYYYMMDDHHmmSS with an offset such as +08'00' or Z. */
function pdfDate(text: string | undefined): Date | null {
	const found = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'?(\d{2})'?|Z)?/.exec(text ?? '');
	if (!found) return null;
	const [, year, month, day, hour, minute, second, sign, offsetHours, offsetMinutes] = found;
	const utc = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
	const offset = sign ? (sign === '+' ? 1 : -1) * (+offsetHours * 60 + +offsetMinutes) : 0;
	return new Date(utc - offset * 60_000);
}

/** The last signature dictionary's byte range, the CMS it holds (zero padding included), /SubFilter and /M. */
function findSignature(pdf: Buffer) {
	const text = pdf.toString('latin1');
	const at = text.lastIndexOf('/ByteRange');
	if (at === -1) throw refuse('not_sealed');
	const range = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 200));
	if (!range) throw refuse('unreadable_seal');
	const [start, firstLength, secondStart, secondLength] = range.slice(1).map(Number);
	const contents = text.slice(firstLength, secondStart);
	if (start !== 0 || secondStart <= firstLength || !/^<[0-9a-fA-F]*>$/.test(contents)) throw refuse('unreadable_seal');
	// The dictionary around the signature's room: /SubFilter comes before /Contents, /M after it.
	const around = text.slice(Math.max(0, at - 2000), at + 2000) + text.slice(secondStart, secondStart + 2000);
	return {
		signedBytes: [pdf.subarray(0, firstLength), pdf.subarray(secondStart, secondStart + secondLength)],
		signedEnd: secondStart + secondLength,
		cms: Buffer.from(contents.slice(1, -1), 'hex'),
		subFilter: /\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(around)?.[1] ?? null,
		modified: pdfDate(/\/M\s*\((D:[^)]*)\)/.exec(around)?.[1])
	};
}

/** The DER value alone, without the zeros that fill the rest of the signature's room. */
function withoutPadding(der: Buffer): Buffer {
	if (der.length < 2) throw new Error('empty signature');
	const short = der[1] < 0x80;
	const lengthBytes = short ? 0 : der[1] & 0x7f;
	let length = short ? der[1] : 0;
	for (let index = 0; index < lengthBytes; index++) length = length * 256 + der[2 + index];
	const end = 2 + lengthBytes + length;
	if (end > der.length) throw new Error('truncated signature');
	return der.subarray(0, end);
}

const attributeOf = (attributes: pkijs.SignedAndUnsignedAttributes | undefined, oid: string) =>
	attributes?.attributes.find((attribute) => attribute.type === oid)?.values[0] as asn1js.AsnType | undefined;

/** Whether ESS signing-certificate-v2 names this certificate by its hash (SHA-256 unless it says otherwise). */
function namesCertificate(value: asn1js.AsnType | undefined, certificateDer: Uint8Array): boolean {
	if (!(value instanceof asn1js.Sequence)) return false;
	const [certs] = value.valueBlock.value;
	const [first] = certs instanceof asn1js.Sequence ? certs.valueBlock.value : [];
	if (!(first instanceof asn1js.Sequence)) return false;
	const [algorithmOrHash, maybeHash] = first.valueBlock.value;
	const algorithm =
		algorithmOrHash instanceof asn1js.Sequence
			? new pkijs.AlgorithmIdentifier({ schema: algorithmOrHash }).algorithmId
			: OID.sha256;
	const hash = algorithmOrHash instanceof asn1js.OctetString ? algorithmOrHash : maybeHash;
	const digest = DIGESTS[algorithm];
	if (!digest || !(hash instanceof asn1js.OctetString)) return false;
	return sameBytes(bytesOf(hash.valueBlock.valueHexView), createHash(digest).update(certificateDer).digest());
}

const readTime = (value: asn1js.AsnType | undefined) =>
	value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime ? value.toDate() : null;

/** The CMS signer: its certificate, signed attributes, hash, signature and any timestamp token. */
function readSigner(cms: Buffer) {
	const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(withoutPadding(cms)));
	if (contentInfo.contentType !== OID.signedData) throw new Error('not signed data');
	const signedData = new pkijs.SignedData({ schema: contentInfo.content });
	const [signerInfo] = signedData.signerInfos;
	if (!signerInfo?.signedAttrs) throw new Error('no signed attributes');
	const certificate = signerCertificate(signedData, signerInfo);
	if (!certificate) throw new Error('signer certificate missing');
	const hash = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
	if (!hash) throw new Error('unknown digest algorithm');
	const certificateDer = bytesOf(certificate.toSchema().toBER(false));
	// The signature is over the attributes encoded as a SET, not with their context tag.
	const attributesDer = Buffer.from(signerInfo.signedAttrs.encodedValue);
	attributesDer[0] = 0x31;
	const digest = attributeOf(signerInfo.signedAttrs, OID.messageDigest);
	const token = attributeOf(signerInfo.unsignedAttrs, OID.signatureTimeStampToken);
	return {
		certificate,
		certificateDer,
		hash,
		attributesDer,
		messageDigest: digest instanceof asn1js.OctetString ? bytesOf(digest.valueBlock.valueHexView) : new Uint8Array(),
		signingTime: readTime(attributeOf(signerInfo.signedAttrs, OID.signingTime)),
		bindsCertificate: namesCertificate(attributeOf(signerInfo.signedAttrs, OID.signingCertificateV2), certificateDer),
		signature: bytesOf(signerInfo.signature.valueBlock.valueHexView),
		timestampToken: token ? bytesOf(token.toBER(false)) : null
	};
}

/** A name attribute of the certificate's subject, as text whatever string type encodes it. */
function subjectField(certificate: pkijs.Certificate, oid: string): string | null {
	const value = certificate.subject.typesAndValues.find((pair) => pair.type === oid)?.value;
	return value ? String(value.valueBlock.value) : null;
}

/**
 * Reads and checks the seal of a PDF, as the verification page does with an uploaded file: the
 * signer and time, whether the signature covers the whole file (an update after it may only add
 * validation data), whether the signed bytes still hash to the signed digest, whether the
 * signature verifies with the embedded certificate, and the PAdES level with any timestamp.
 */
export async function readPdfSeal(file: Uint8Array): Promise<PdfSeal> {
	const pdf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
	if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw refuse('file_type');
	const found = findSignature(pdf);
	let signer: ReturnType<typeof readSigner>;
	try {
		signer = readSigner(found.cms);
	} catch (error) {
		throw refuse('unreadable_seal', error);
	}
	const digest = createHash(signer.hash);
	for (const bytes of found.signedBytes) digest.update(bytes);
	const digestMatches = sameBytes(digest.digest(), signer.messageDigest);
	let signatureMatches = false;
	try {
		signatureMatches = verify(
			signer.hash,
			signer.attributesDer,
			new X509Certificate(signer.certificateDer).publicKey,
			signer.signature
		);
	} catch {
		// A signature of a kind node cannot check is not a matching one.
	}
	const update = await readValidationUpdate(pdf, found.signedEnd);
	const stamp = signer.timestampToken
		? await readTimestampToken(signer.timestampToken, signer.signature).catch(() => null)
		: null;
	const stampHolds = Boolean(stamp?.imprintMatches && stamp.signatureMatches && stamp.authorityCertificateFit);
	const baseline =
		signer.bindsCertificate && !signer.signingTime && found.subFilter === 'ETSI.CAdES.detached' && digestMatches;
	const keepsCertificate = update?.certificates.some((der) => sameBytes(der, signer.certificateDer)) ?? false;
	const level: SealLevel | null = !baseline ? null : !stampHolds ? 'B-B' : keepsCertificate ? 'B-LT' : 'B-T';
	const coversWholeFile = update !== null;
	return {
		// A timestamp that is there but does not hold is a changed seal.
		intact: coversWholeFile && digestMatches && signatureMatches && (!signer.timestampToken || stampHolds),
		coversWholeFile,
		digestMatches,
		signatureMatches,
		subFilter: found.subFilter,
		organisation: subjectField(signer.certificate, OID.organisation),
		commonName: subjectField(signer.certificate, OID.commonName),
		certificateFingerprint: createHash('sha256').update(signer.certificateDer).digest('hex'),
		signedAt: signer.signingTime ?? found.modified,
		level,
		timestampedAt: stampHolds && stamp ? stamp.time : null
	};
}
