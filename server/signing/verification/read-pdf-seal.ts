import { createHash, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '#shared/errors.ts';

/** What the seal of a PDF says, checked the way pdfsig checks it, without the certificate's trust. */
export type PdfSeal = {
	/** The file is exactly what was sealed: all of it signed, digest and signature as they were made. */
	intact: boolean;
	/** The signature's byte ranges cover the whole file but the signature itself. */
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
	signedAt: Date | null;
};

const OID = {
	signedData: '1.2.840.113549.1.7.2',
	messageDigest: '1.2.840.113549.1.9.4',
	signingTime: '1.2.840.113549.1.9.5',
	organisation: '2.5.4.10',
	commonName: '2.5.4.3'
};
const HASHES: Record<string, string> = {
	'1.3.14.3.2.26': 'sha1',
	'2.16.840.1.101.3.4.2.1': 'sha256',
	'2.16.840.1.101.3.4.2.2': 'sha384',
	'2.16.840.1.101.3.4.2.3': 'sha512'
};

/** Why a file has no seal to read, as the `file` field code of a VALIDATION error. */
export type PdfSealError = 'file_type' | 'not_sealed' | 'unreadable_seal';

const refuse = (reason: PdfSealError, cause?: unknown) =>
	new AppError('VALIDATION', { fields: { file: [reason] }, cause });

type Node = forge.asn1.Asn1;
const children = (node: Node | undefined): Node[] => (Array.isArray(node?.value) ? node.value : []);
const oidOf = (node: Node | undefined) => forge.asn1.derToOid(String(node?.value ?? ''));
const isSequence = (node: Node | undefined) =>
	node?.tagClass === forge.asn1.Class.UNIVERSAL && node.type === forge.asn1.Type.SEQUENCE;
const isContext = (node: Node, tag: number) => node.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
const bytesOf = (binary: string) => Buffer.from(binary, 'binary');

/** The last signature dictionary's byte range and the CMS it holds (trailing zero padding included). */
function findSignature(pdf: Buffer) {
	const text = pdf.toString('latin1');
	const at = text.lastIndexOf('/ByteRange');
	if (at === -1) throw refuse('not_sealed');
	const range = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 200));
	if (!range) throw refuse('unreadable_seal');
	const [start, firstLength, secondStart, secondLength] = range.slice(1).map(Number);
	const contents = text.slice(firstLength, secondStart);
	if (start !== 0 || secondStart <= firstLength || !/^<[0-9a-fA-F]*>$/.test(contents)) throw refuse('unreadable_seal');
	const subFilter =
		/\/SubFilter\s*\/([A-Za-z0-9.#_-]+)/.exec(text.slice(Math.max(0, at - 2000), at + 2000))?.[1] ?? null;
	return {
		signedBytes: [pdf.subarray(0, firstLength), pdf.subarray(secondStart, secondStart + secondLength)],
		coversWholeFile: secondStart + secondLength === pdf.length,
		cms: Buffer.from(contents.slice(1, -1), 'hex'),
		subFilter
	};
}

function attributeValue(attributes: Node[], oid: string): Node | undefined {
	const attribute = attributes.find((node) => oidOf(children(node)[0]) === oid);
	return children(children(attribute)[1])[0];
}

function readTime(node: Node | undefined): Date | null {
	if (!node) return null;
	if (node.type === forge.asn1.Type.UTCTIME) return forge.asn1.utcTimeToDate(String(node.value));
	if (node.type === forge.asn1.Type.GENERALIZEDTIME) return forge.asn1.generalizedTimeToDate(String(node.value));
	return null;
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

/** The CMS signer: its certificate, signed attributes, hash and signature. */
function readSigner(cms: Buffer) {
	const contentInfo = forge.asn1.fromDer(forge.util.createBuffer(withoutPadding(cms).toString('binary')));
	if (!isSequence(contentInfo) || oidOf(children(contentInfo)[0]) !== OID.signedData)
		throw new Error('not signed data');
	const signedData = children(children(contentInfo)[1])[0];
	const parts = children(signedData);
	const certificates = children(parts.find((node) => isContext(node, 0)));
	const signerInfo = children(parts.at(-1))[0];
	if (!isSequence(signedData) || !isSequence(signerInfo)) throw new Error('not signed data');
	const [, signerId, digestAlgorithm, ...rest] = children(signerInfo);
	const signedAttributes = rest.find((node) => isContext(node, 0));
	const signature = rest.find(
		(node) => node.type === forge.asn1.Type.OCTETSTRING && node.tagClass === forge.asn1.Class.UNIVERSAL
	);
	if (!signedAttributes || !signature) throw new Error('no signed attributes');
	const serial = String(children(signerId)[1]?.value ?? '');
	const certificate = certificates.find((node) => String(children(children(node)[0])[1]?.value) === serial);
	if (!certificate) throw new Error('signer certificate missing');
	// The signature is over the attributes encoded as a SET, not with their context tag.
	const attributesDer = bytesOf(forge.asn1.toDer(signedAttributes).getBytes());
	attributesDer[0] = 0x31;
	const hash = HASHES[oidOf(children(digestAlgorithm)[0])];
	if (!hash) throw new Error('unknown digest algorithm');
	const attributes = children(signedAttributes);
	return {
		certificate: new X509Certificate(bytesOf(forge.asn1.toDer(certificate).getBytes())),
		subjectNode: children(children(certificate)[0]),
		hash,
		attributesDer,
		messageDigest: bytesOf(String(attributeValue(attributes, OID.messageDigest)?.value ?? '')),
		signedAt: readTime(attributeValue(attributes, OID.signingTime)),
		signature: bytesOf(String(signature.value))
	};
}

/** A name attribute of the certificate's subject, read from its encoding (UTF-8 and the older string types alike). */
function subjectField(tbs: Node[], oid: string): string | null {
	// tbsCertificate: [0] version, serial, signature algorithm, issuer, validity, subject, …
	const subject = tbs.find((_, index) => index === (isContext(tbs[0], 0) ? 5 : 4));
	for (const rdn of children(subject)) {
		for (const pair of children(rdn)) {
			const [type, value] = children(pair);
			if (oidOf(type) !== oid) continue;
			const raw = String(value?.value ?? '');
			return value?.type === forge.asn1.Type.BMPSTRING
				? Buffer.from(raw, 'binary').swap16().toString('utf16le')
				: forge.util.decodeUtf8(raw);
		}
	}
	return null;
}

/**
 * Reads and checks the seal of a PDF, as the verification page does with an uploaded file: the
 * signer and time, whether the signature covers the whole file, whether the signed bytes still
 * hash to the signed digest, and whether the signature verifies with the embedded certificate.
 */
export function readPdfSeal(file: Uint8Array): PdfSeal {
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
	const digestMatches = digest.digest().equals(signer.messageDigest);
	let signatureMatches = false;
	try {
		signatureMatches = verify(signer.hash, signer.attributesDer, signer.certificate.publicKey, signer.signature);
	} catch {
		// A signature of a kind node cannot check is not a matching one.
	}
	return {
		intact: found.coversWholeFile && digestMatches && signatureMatches,
		coversWholeFile: found.coversWholeFile,
		digestMatches,
		signatureMatches,
		subFilter: found.subFilter,
		organisation: subjectField(signer.subjectNode, OID.organisation),
		commonName: subjectField(signer.subjectNode, OID.commonName),
		certificateFingerprint: signer.certificate.fingerprint256.replaceAll(':', '').toLowerCase(),
		signedAt: signer.signedAt
	};
}
