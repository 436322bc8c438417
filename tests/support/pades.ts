import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** A sealed PDF's CMS read from outside the app: OpenSSL's view of it, and its parts by PKI.js. */

const run = promisify(execFile);

/** The signature's /Contents, DER, without the zeros that pad its room. */
export function cmsOf(pdf: Uint8Array): Buffer {
	const text = Buffer.from(pdf).toString('latin1');
	const at = text.lastIndexOf('/ByteRange');
	const [, , firstLength, secondStart] = /\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/
		.exec(text.slice(at, at + 200))!
		.map(Number);
	const padded = Buffer.from(text.slice(firstLength + 1, secondStart - 1), 'hex');
	return padded.subarray(0, asn1js.fromBER(new Uint8Array(padded)).offset);
}

async function inTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
	const dir = await mkdtemp(join(tmpdir(), 'tiaojie-cms-'));
	try {
		return await use(dir);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** `openssl cms -cmsout -print` of the seal. */
export const opensslCmsPrint = (pdf: Uint8Array) =>
	inTempDir(async (dir) => {
		await writeFile(join(dir, 'seal.der'), cmsOf(pdf));
		const { stdout } = await run(
			'openssl',
			['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 'seal.der')],
			{
				maxBuffer: 16 * 1024 * 1024
			}
		);
		return stdout;
	});

/** The attribute names OpenSSL prints in one block (`signedAttrs:` or `unsignedAttrs:`) of its print. */
export function attributeNames(print: string, block: 'signedAttrs' | 'unsignedAttrs'): string[] {
	const start = print.indexOf(`${block}:`);
	const rest = print.slice(start + block.length + 1);
	const end = block === 'signedAttrs' ? rest.indexOf('signatureAlgorithm:') : rest.length;
	return [...rest.slice(0, end).matchAll(/^\s+object: (\S+)/gm)].map((match) => match[1]);
}

/** The signer's signature value and its timestamp token (DER), as PKI.js reads them. */
export function signatureAndToken(pdf: Uint8Array): { signature: Buffer; token: Buffer | null } {
	const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(cmsOf(pdf))).content });
	const [signer] = signedData.signerInfos;
	const token = signer.unsignedAttrs?.attributes.find((item) => item.type === '1.2.840.113549.1.9.16.2.14')?.values[0];
	return {
		signature: Buffer.from(signer.signature.valueBlock.valueHexView),
		token: token ? Buffer.from(token.toBER(false)) : null
	};
}

/** `openssl ts -verify` of a token against the data it stamps and the authority's certificate. */
export const opensslVerifyToken = (token: Buffer, data: Buffer, authorityCertificateFile: string) =>
	inTempDir(async (dir) => {
		await writeFile(join(dir, 'token.der'), token);
		await writeFile(join(dir, 'data.bin'), data);
		const args = ['ts', '-verify', '-token_in', '-in', join(dir, 'token.der'), '-data', join(dir, 'data.bin')];
		try {
			const { stdout, stderr } = await run('openssl', [...args, '-CAfile', authorityCertificateFile]);
			return stdout + stderr;
		} catch (error) {
			const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
			return stdout + stderr;
		}
	});
