import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms-oids.ts';
import { readBoundedBody } from './read-bounded-body.ts';
import { readTimestampToken } from './timestamp-token.ts';

/** An RFC 3161 timestamp authority reached over HTTP, with optional basic-auth credentials. */
export type TimestampAuthority = { url: string; username?: string; password?: string };

/** A responder slower than this holds up a signing ceremony: the seal goes without a stamp. */
const TIMEOUT_MS = 10_000;
/** A response is a token of a few kilobytes with the authority's certificates. */
const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * Asks the authority to stamp a signature value (SHA-256 imprint, a fresh nonce, its certificate
 * requested) and returns the token, DER, once it is checked: granted, the imprint and nonce ours,
 * its signature verifying with a time-stamping certificate, which comes back too for the
 * validation data. Throws with the reason otherwise.
 */
export async function requestTimestamp(
	authority: TimestampAuthority,
	signatureValue: Uint8Array
): Promise<{ token: Uint8Array; authorityCertificate: Uint8Array | null }> {
	const nonce = randomBytes(8);
	nonce[0] &= 0x7f; // a positive INTEGER
	const request = new pkijs.TimeStampReq({
		version: 1,
		messageImprint: new pkijs.MessageImprint({
			hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
			hashedMessage: new asn1js.OctetString({ valueHex: createHash('sha256').update(signatureValue).digest() })
		}),
		nonce: new asn1js.Integer({ valueHex: nonce }),
		certReq: true
	});
	const headers: Record<string, string> = { 'content-type': 'application/timestamp-query' };
	if (authority.username !== undefined) {
		const credentials = `${authority.username}:${authority.password ?? ''}`;
		headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
	}
	const response = await fetch(authority.url, {
		method: 'POST',
		headers,
		body: new Uint8Array(request.toSchema().toBER(false)),
		signal: AbortSignal.timeout(TIMEOUT_MS)
	});
	if (!response.ok) throw new Error(`the timestamp authority answered HTTP ${response.status}`);
	const answer = pkijs.TimeStampResp.fromBER(await readBoundedBody(response, MAX_RESPONSE_BYTES));
	// 0: granted, 1: granted with modifications.
	if (answer.status.status > 1 || !answer.timeStampToken)
		throw new Error(`the timestamp authority refused: status ${answer.status.status}`);
	const token = new Uint8Array(answer.timeStampToken.toSchema().toBER(false));
	const read = await readTimestampToken(token, signatureValue);
	if (!read.imprintMatches) throw new Error('the timestamp token stamps another signature');
	if (read.nonce !== BigInt(`0x${nonce.toString('hex')}`))
		throw new Error('the timestamp token answers another request');
	if (!read.signatureMatches) throw new Error('the timestamp token does not verify');
	if (!read.authorityCertificateFit) throw new Error('the timestamp authority certificate is not for time stamping');
	return { token, authorityCertificate: read.authorityCertificate };
}
