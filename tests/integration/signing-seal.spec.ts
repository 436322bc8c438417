import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocumentPdf } from '#server/signing/pdf/build-document-pdf.ts';
import { createSealKey } from '#server/signing/seal-keys/create-seal-key.ts';
import { importSealKey } from '#server/signing/seal-keys/import-seal-key.ts';
import { readPdfSeal } from '#server/signing/verification/read-pdf-seal.ts';
import type { SealKey } from '#server/signing/seal-keys/seal-key.ts';
import { sealPdf } from '#server/signing/seal-keys/seal-pdf.ts';
import { pdfsig } from '../support/poppler.ts';
import { agreementInput, SEAL_PASSPHRASE } from '../support/signing-samples.ts';

const COMMITTEE = '青山镇人民调解委员会';
const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** A .p12 put together by hand, to make the broken ones an admin might upload. */
function p12Of(
	key: forge.pki.rsa.PrivateKey | null,
	certificates: forge.pki.Certificate[] | null,
	passphrase = SEAL_PASSPHRASE
) {
	// forge takes null for "no certificate", though its types do not say so.
	const asn1 = forge.pkcs12.toPkcs12Asn1(key, certificates as forge.pki.Certificate[], passphrase, {
		algorithm: '3des'
	});
	return forge.util.binary.raw.decode(forge.asn1.toDer(asn1).getBytes());
}

function openWithForge(seal: SealKey) {
	const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.binary.raw.encode(seal.p12)), seal.passphrase);
	const key = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0].key;
	const cert = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag]?.[0].cert;
	return { key: key as forge.pki.rsa.PrivateKey, cert: cert as forge.pki.Certificate };
}

const signatureValid = (report: string) => /Signature Validation: Signature is Valid\./.test(report);

describe('the committee seal certificate', () => {
	it('is made at setup: RSA 2048, the committee named in UTF-8, valid ten years, in a .p12 the passphrase opens', () => {
		const now = new Date('2026-11-29T03:00:00Z');
		const seal = createSealKey({ organisation: COMMITTEE, passphrase: SEAL_PASSPHRASE, now });
		expect(seal.certificate).toMatchObject({ organisation: COMMITTEE, commonName: COMMITTEE });
		const years = (seal.certificate.notAfter.getTime() - seal.certificate.notBefore.getTime()) / YEAR_MS;
		expect(years).toBeCloseTo(10, 1);
		const { key, cert } = openWithForge(seal);
		expect(key.n.bitLength()).toBe(2048);
		expect(cert.verify(cert)).toBe(true);
		expect(importSealKey(seal, now).certificate).toEqual(seal.certificate);
	});

	it('refuses a short passphrase and an empty organisation', () => {
		expect(() => createSealKey({ organisation: COMMITTEE, passphrase: 'short' })).toThrow(
			expect.objectContaining({ code: 'VALIDATION', fields: { passphrase: expect.any(Array) } })
		);
		expect(() => createSealKey({ organisation: ' ', passphrase: SEAL_PASSPHRASE })).toThrow(
			expect.objectContaining({ code: 'VALIDATION', fields: { organisation: expect.any(Array) } })
		);
	});
});

describe("an admin's own .p12", () => {
	const now = new Date();
	let seal: ReturnType<typeof createSealKey>;
	beforeAll(() => {
		seal = createSealKey({ organisation: COMMITTEE, passphrase: SEAL_PASSPHRASE, now });
	});
	const refusal = (key: SealKey, at = now) => {
		try {
			importSealKey(key, at);
		} catch (error) {
			return error;
		}
		throw new Error('imported');
	};

	it('is imported when it opens, holds its key and certificate and is valid today; the stored form seals', () => {
		const { key, cert } = openWithForge(seal);
		const imported = importSealKey(
			{ p12: p12Of(key, [cert], 'admin passphrase'), passphrase: 'admin passphrase' },
			now
		);
		expect(imported.certificate).toEqual(seal.certificate);
		expect(imported.passphrase).toBe('admin passphrase');
		expect(importSealKey(imported, now).certificate.fingerprint).toBe(seal.certificate.fingerprint);
	});

	it('is refused with a field code for each way it can be wrong', () => {
		const { key, cert } = openWithForge(seal);
		const other = openWithForge(createSealKey({ organisation: '别的委员会', passphrase: SEAL_PASSPHRASE, now }));
		const cases: [SealKey, Date, Record<string, string[]>][] = [
			[{ p12: new TextEncoder().encode('not a p12 file'), passphrase: SEAL_PASSPHRASE }, now, { p12: ['unreadable'] }],
			[{ p12: seal.p12, passphrase: 'wrong passphrase' }, now, { passphrase: ['wrong_passphrase'] }],
			[{ p12: p12Of(null, [cert]), passphrase: SEAL_PASSPHRASE }, now, { p12: ['no_private_key'] }],
			[{ p12: p12Of(key, null), passphrase: SEAL_PASSPHRASE }, now, { p12: ['no_certificate'] }],
			[{ p12: p12Of(key, [other.cert]), passphrase: SEAL_PASSPHRASE }, now, { p12: ['key_mismatch'] }],
			[seal, new Date(now.getTime() + 11 * YEAR_MS), { p12: ['expired'] }],
			[seal, new Date(now.getTime() - 24 * 3600 * 1000), { p12: ['not_yet_valid'] }],
			[{ p12: new Uint8Array(), passphrase: SEAL_PASSPHRASE }, now, { p12: expect.any(Array) }]
		];
		for (const [key, at, fields] of cases) {
			expect(refusal(key, at)).toMatchObject({ code: 'VALIDATION', fields });
		}
	});
});

describe('the PAdES seal', () => {
	let seal: ReturnType<typeof createSealKey>;
	let sealed: Uint8Array;
	const signingTime = new Date();
	beforeAll(async () => {
		seal = createSealKey({ organisation: COMMITTEE, passphrase: SEAL_PASSPHRASE });
		const { pdf } = await buildDocumentPdf(agreementInput());
		({ pdf: sealed } = await sealPdf(pdf, seal, {
			name: COMMITTEE,
			location: '青山镇 (东村)',
			reason: '人民调解协议书 2026-QSZ-000123',
			signingTime
		}));
	});

	it('is valid for pdfsig, over the whole document, as ETSI.CAdES.detached by the committee', async () => {
		const report = await pdfsig(sealed);
		expect(signatureValid(report)).toBe(true);
		expect(report).toContain('Total document signed');
		expect(report).toContain('Signature Type: ETSI.CAdES.detached');
		expect(report).toContain(`Signer Certificate Common Name: ${COMMITTEE}`);
		expect(report).toContain(`O=${COMMITTEE}`);
	});

	it('is read back the same: the committee, the time, the whole file covered, digest and signature matching', async () => {
		expect(await readPdfSeal(sealed)).toEqual({
			intact: true,
			coversWholeFile: true,
			digestMatches: true,
			signatureMatches: true,
			subFilter: 'ETSI.CAdES.detached',
			organisation: COMMITTEE,
			commonName: COMMITTEE,
			certificateFingerprint: seal.certificate.fingerprint,
			signedAt: new Date(Math.floor(signingTime.getTime() / 1000) * 1000),
			level: 'B-B',
			timestampedAt: null
		});
	});

	it('breaks when any one byte changes, for pdfsig and for readPdfSeal alike', async () => {
		const text = Buffer.from(sealed).toString('latin1');
		const contents = text.lastIndexOf('/Contents <') + '/Contents <'.length;
		// The CMS ends with the RSA signature value; its length is in the DER header (30 82 hh ll).
		const cmsLength = 4 + parseInt(text.slice(contents + 4, contents + 8), 16);
		const positions = {
			header: 2,
			'page content': text.indexOf('stream', text.indexOf('/Length')) + 20,
			'font data': text.indexOf('/FontFile3') + 400,
			'signature dictionary': text.lastIndexOf('/Reason') + 3,
			'signature value': contents + 2 * (cmsLength - 10),
			'start of the signature': contents + 1,
			'cross-reference table': text.lastIndexOf('\nxref\n') + 30,
			'near the end': sealed.length - 8,
			'last byte': sealed.length - 1
		};
		for (const [where, at] of Object.entries(positions)) {
			const tampered = Uint8Array.from(sealed);
			// A hex digit stays a hex digit, so the file still parses as far as it can.
			tampered[at] = tampered[at] === 0x30 ? 0x31 : 0x30;
			const report = await pdfsig(tampered);
			expect(signatureValid(report), `pdfsig still valid after a change in the ${where}: ${report}`).toBe(false);
			let intact: boolean;
			try {
				intact = (await readPdfSeal(tampered)).intact;
			} catch (error) {
				// A broken header or signature is no readable seal at all.
				expect(error).toMatchObject({
					code: 'VALIDATION',
					fields: { file: [expect.stringMatching(/^(file_type|unreadable_seal)$/)] }
				});
				intact = false;
			}
			expect(intact, `readPdfSeal still intact after a change in the ${where}`).toBe(false);
		}
	});

	it('agrees with pdfsig that a file sealed and then appended to no longer covers the whole file', async () => {
		const appended = Buffer.concat([sealed, Buffer.from('\n% appended\n')]);
		expect(await pdfsig(appended)).not.toContain('Total document signed');
		expect(await readPdfSeal(appended)).toMatchObject({ intact: false, coversWholeFile: false, digestMatches: true });
	});

	it('tells a PDF without a seal and a file that is no PDF from a broken seal', async () => {
		const { pdf } = await buildDocumentPdf(agreementInput());
		await expect(readPdfSeal(pdf)).rejects.toMatchObject({ fields: { file: ['not_sealed'] } });
		await expect(readPdfSeal(new TextEncoder().encode('hello'))).rejects.toMatchObject({
			fields: { file: ['file_type'] }
		});
	});

	it('refuses to seal with a key that cannot seal, or something that is no PDF', async () => {
		const details = { name: COMMITTEE, location: COMMITTEE, reason: 'test', signingTime };
		await expect(sealPdf(sealed, { ...seal, passphrase: 'wrong' }, details)).rejects.toMatchObject({
			fields: { passphrase: ['wrong_passphrase'] }
		});
		await expect(sealPdf(new TextEncoder().encode('no pdf'), seal, details)).rejects.toMatchObject({
			fields: { pdf: ['unreadable'] }
		});
	});
});
