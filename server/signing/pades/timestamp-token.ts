import { createHash } from 'node:crypto';
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { DIGESTS, OID } from './cms-oids.ts';

/** What an RFC 3161 timestamp token says of the signature it stamps, each check told apart. */
export type TimestampToken = {
	/** When the authority saw the signature. */
	time: Date;
	/** The token's message imprint is the hash of this signature value. */
	imprintMatches: boolean;
	/** The token's own signature verifies with the authority's certificate it carries. */
	signatureMatches: boolean;
	/** That certificate is for time stamping (extended key usage) and was valid at `time`. */
	authorityCertificateFit: boolean;
	/** The authority's certificate, DER, for the validation data kept with the document. */
	authorityCertificate: Uint8Array | null;
	nonce: bigint | null;
};

const bytesOf = (view: ArrayBufferView | ArrayBuffer) =>
	view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** The certificate a CMS signer names by issuer and serial number, among those the CMS carries. */
export function signerCertificate(
	signedData: pkijs.SignedData,
	signerInfo: pkijs.SignerInfo
): pkijs.Certificate | null {
	const sid = signerInfo.sid;
	if (!(sid instanceof pkijs.IssuerAndSerialNumber)) return null;
	for (const certificate of signedData.certificates ?? []) {
		if (!(certificate instanceof pkijs.Certificate)) continue;
		if (certificate.issuer.isEqual(sid.issuer) && certificate.serialNumber.isEqual(sid.serialNumber))
			return certificate;
	}
	return null;
}

function fitForTimeStamping(certificate: pkijs.Certificate, at: Date): boolean {
	const usage = certificate.extensions?.find((extension) => extension.extnID === OID.extendedKeyUsage)?.parsedValue;
	const stamps = usage instanceof pkijs.ExtKeyUsage && usage.keyPurposes.includes(OID.timeStamping);
	return stamps && certificate.notBefore.value <= at && at <= certificate.notAfter.value;
}

const bigintOf = (integer: asn1js.Integer | undefined) =>
	integer ? BigInt(`0x${Buffer.from(integer.valueBlock.valueHexView).toString('hex') || '0'}`) : null;

/**
 * Reads a timestamp token (a CMS SignedData over a TSTInfo) as a stamp over `signatureValue`.
 * Throws only when the bytes are no timestamp token at all.
 */
export async function readTimestampToken(token: Uint8Array, signatureValue: Uint8Array): Promise<TimestampToken> {
	const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(token));
	if (contentInfo.contentType !== OID.signedData) throw new Error('the timestamp token is not signed data');
	const signedData = new pkijs.SignedData({ schema: contentInfo.content });
	const eContent = signedData.encapContentInfo.eContent;
	if (signedData.encapContentInfo.eContentType !== OID.tstInfo || !eContent)
		throw new Error('the timestamp token holds no TSTInfo');
	const tstInfo = pkijs.TSTInfo.fromBER(eContent.getValue());
	const digest = DIGESTS[tstInfo.messageImprint.hashAlgorithm.algorithmId];
	const imprint = bytesOf(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
	const imprintMatches =
		Boolean(digest) && sameBytes(imprint, new Uint8Array(createHash(digest).update(signatureValue).digest()));
	let signatureMatches = false;
	try {
		// PKI.js checks a TSTInfo's imprint against the stamped data as part of it.
		signatureMatches = await signedData.verify({
			signer: 0,
			checkChain: false,
			data: new Uint8Array(signatureValue).buffer
		});
	} catch {
		// A token whose signature cannot be checked (no certificate, an unknown algorithm) does not match.
	}
	const authority = signedData.signerInfos[0] ? signerCertificate(signedData, signedData.signerInfos[0]) : null;
	return {
		time: tstInfo.genTime,
		imprintMatches,
		signatureMatches,
		authorityCertificateFit: authority ? fitForTimeStamping(authority, tstInfo.genTime) : false,
		authorityCertificate: authority ? bytesOf(authority.toSchema().toBER(false)) : null,
		nonce: bigintOf(tstInfo.nonce)
	};
}
