import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentSealer } from '#server/signing/document-sealer.ts';
import { addValidationData } from '#server/signing/pades/add-validation-data.ts';
import { buildDocumentPdf } from '#server/signing/pdf/build-document-pdf.ts';
import { createSealKey } from '#server/signing/seal-keys/create-seal-key.ts';
import { sealPdf, type SealDetails } from '#server/signing/seal-keys/seal-pdf.ts';
import { readPdfSeal } from '#server/signing/verification/read-pdf-seal.ts';
import { SEALED_KINDS } from '#shared/documents.ts';
import { capturingLogger } from '../support/capturing-logger.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { attributeNames, opensslCmsPrint, opensslVerifyToken, signatureAndToken } from '../support/pades.ts';
import { pdfsig } from '../support/poppler.ts';
import { agreementInput, SEAL_PASSPHRASE } from '../support/signing-samples.ts';
import { startTimestampAuthority, type LocalTimestampAuthority } from '../support/timestamp-authority.ts';
import { startTownCa, type TownCa } from '../support/town-ca.ts';

const COMMITTEE = '青山镇人民调解委员会';
const SIGNED_ATTRIBUTES = ['contentType', 'messageDigest', 'id-smime-aa-signingCertificateV2'];
const signatureValid = (report: string) => /Signature Validation: Signature is Valid\./.test(report);
const seal = createSealKey({ organisation: COMMITTEE, passphrase: SEAL_PASSPHRASE });
const details = (more: Partial<SealDetails> = {}): SealDetails => ({
	name: COMMITTEE,
	location: '青山镇',
	reason: '人民调解协议书 2026-QSZ-000123',
	signingTime: new Date(),
	...more
});
let unsealed: Uint8Array;
let authority: LocalTimestampAuthority;

beforeAll(async () => {
	unsealed = (await buildDocumentPdf(agreementInput())).pdf;
	authority = await startTimestampAuthority({ credentials: { username: 'committee', password: 'tsa-secret' } });
});
afterAll(() => authority.close());

const stampedBy = (tsa: LocalTimestampAuthority) => ({
	url: tsa.url,
	username: 'committee',
	password: 'tsa-secret'
});

describe('PAdES B-B, without a timestamp authority', () => {
	let sealed: Uint8Array;
	const signingTime = new Date();
	beforeAll(async () => {
		const result = await sealPdf(unsealed, seal, details({ signingTime }));
		expect(result).toMatchObject({ level: 'B-B', stampFailure: null });
		sealed = result.pdf;
	});

	it('signs exactly content-type, message-digest and ESS signing-certificate-v2, with no signing time, as OpenSSL reads it', async () => {
		const print = await opensslCmsPrint(sealed);
		expect(attributeNames(print, 'signedAttrs')).toEqual(SIGNED_ATTRIBUTES);
		expect(print).not.toContain('signingTime');
		expect(print).toMatch(/unsignedAttrs:\s*<ABSENT>/);
		// signing-certificate-v2 names the committee's certificate by its SHA-256.
		expect(print.replace(/\s/g, '')).toContain(`[HEXDUMP]:${seal.certificate.fingerprint.toUpperCase()}`);
	});

	it('puts the signing time in the signature dictionary (/M), where the reader finds it', async () => {
		expect(Buffer.from(sealed).toString('latin1')).toMatch(/\/M \(D:\d{14}/);
		expect(await readPdfSeal(sealed)).toMatchObject({
			intact: true,
			coversWholeFile: true,
			level: 'B-B',
			timestampedAt: null,
			subFilter: 'ETSI.CAdES.detached',
			organisation: COMMITTEE,
			certificateFingerprint: seal.certificate.fingerprint,
			signedAt: new Date(Math.floor(signingTime.getTime() / 1000) * 1000)
		});
	});

	it('is valid for pdfsig over the whole document', async () => {
		const report = await pdfsig(sealed);
		expect(signatureValid(report)).toBe(true);
		expect(report).toContain('Total document signed');
		expect(report).toContain('Signature Type: ETSI.CAdES.detached');
	});
});

describe('PAdES B-T and B-LT, with a timestamp authority', () => {
	let sealed: Uint8Array;
	let before: Date;
	beforeAll(async () => {
		authority.received.length = 0;
		before = new Date(Math.floor(Date.now() / 1000) * 1000);
		const result = await sealPdf(unsealed, seal, details({ timestampAuthority: stampedBy(authority) }));
		expect(result).toMatchObject({ level: 'B-LT', stampFailure: null });
		sealed = result.pdf;
	});

	it('asks the authority once, with its credentials, for a stamp over the signature value', async () => {
		expect(authority.received).toHaveLength(1);
		expect(authority.received[0].authorization).toBe(`Basic ${Buffer.from('committee:tsa-secret').toString('base64')}`);
		const { signature } = signatureAndToken(sealed);
		const imprint = createHash('sha256').update(signature).digest();
		expect(authority.received[0].query.includes(imprint)).toBe(true);
	});

	it('carries the token in the unsigned attributes, and OpenSSL verifies it against the signature and the authority', async () => {
		const print = await opensslCmsPrint(sealed);
		expect(attributeNames(print, 'signedAttrs')).toEqual(SIGNED_ATTRIBUTES);
		expect(attributeNames(print, 'unsignedAttrs')).toEqual(['id-smime-aa-timeStampToken']);
		const { signature, token } = signatureAndToken(sealed);
		expect(await opensslVerifyToken(token!, signature, authority.certificateFile)).toContain('Verification: OK');
		expect(await opensslVerifyToken(token!, Buffer.from('another signature'), authority.certificateFile)).not.toContain(
			'Verification: OK'
		);
	});

	it('adds a Document Security Store after the signature, which pdfsig still calls valid', async () => {
		const text = Buffer.from(sealed).toString('latin1');
		expect(text).toMatch(/\/Type \/DSS \/Certs \[\d+ 0 R \d+ 0 R\]/);
		expect(text.match(/%%EOF/g)?.length).toBeGreaterThanOrEqual(2);
		const report = await pdfsig(sealed);
		expect(signatureValid(report)).toBe(true);
	});

	it('is read as B-LT with the authority time, intact', async () => {
		const read = await readPdfSeal(sealed);
		expect(read).toMatchObject({ intact: true, coversWholeFile: true, level: 'B-LT' });
		expect(read.timestampedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
		expect(read.timestampedAt!.getTime()).toBeLessThanOrEqual(Date.now());
	});

	it('breaks when a signed byte changes, or when anything but validation data follows the signature', async () => {
		const changed = Buffer.from(sealed);
		changed[200] ^= 0x01;
		expect((await readPdfSeal(changed)).intact).toBe(false);

		const appended = Buffer.concat([Buffer.from(sealed), Buffer.from('\n% added later\n')]);
		expect(await readPdfSeal(appended)).toMatchObject({ intact: false, coversWholeFile: false });

		// An update that slips a new object past the store (here, a second "store" of its own).
		const text = Buffer.from(sealed).toString('latin1');
		const sneaked = Buffer.from(text.replace(/\/Type \/DSS /, '/Type /DSS /OpenAction 1 0 R '), 'latin1');
		expect((await readPdfSeal(sneaked)).intact).toBe(false);
	});
});

describe('a seal issued by a certificate authority', () => {
	let ca: TownCa;
	beforeAll(async () => {
		ca = await startTownCa(COMMITTEE, SEAL_PASSPHRASE);
	});
	afterAll(() => ca.close());

	it('keeps the CA certificate and its revocation list, fetched from the distribution point, in the store (B-LT)', async () => {
		const { pdf, level } = await sealPdf(unsealed, ca.seal, details({ timestampAuthority: stampedBy(authority) }));
		expect(level).toBe('B-LT');
		expect(ca.crlFetches()).toBe(1);
		const text = Buffer.from(pdf).toString('latin1');
		expect(text).toMatch(/\/Type \/DSS \/Certs \[\d+ 0 R \d+ 0 R \d+ 0 R\] \/CRLs \[\d+ 0 R\]/);
		const store = Buffer.from(pdf);
		expect(store.includes(ca.crl)).toBe(true);
		expect(store.includes(ca.caCertificate)).toBe(true);
		expect(await readPdfSeal(pdf)).toMatchObject({ intact: true, level: 'B-LT', organisation: COMMITTEE });
		expect(signatureValid(await pdfsig(pdf))).toBe(true);
	});
});

describe('a timestamp authority that fails', () => {
	afterAll(() => {
		authority.misbehave = 'no';
	});

	for (const misbehave of ['http_error', 'refuse', 'other_imprint'] as const) {
		it(`(${misbehave}) leaves a B-B seal, intact, and says why`, async () => {
			authority.misbehave = misbehave;
			const result = await sealPdf(unsealed, seal, details({ timestampAuthority: stampedBy(authority) }));
			expect(result.level).toBe('B-B');
			expect(result.stampFailure).toMatch(/timestamp/);
			expect(await readPdfSeal(result.pdf)).toMatchObject({ intact: true, level: 'B-B', timestampedAt: null });
			expect(signatureAndToken(result.pdf).token).toBeNull();
		});
	}

	it('with wrong credentials, too', async () => {
		const result = await sealPdf(unsealed, seal, details({ timestampAuthority: { url: authority.url } }));
		expect(result).toMatchObject({ level: 'B-B', stampFailure: 'the timestamp authority answered HTTP 401' });
	});
});

describe('validation data added to a seal without a timestamp', () => {
	it('keeps the seal intact and at B-B: a store alone does not make B-LT', async () => {
		const { pdf } = await sealPdf(unsealed, seal, details());
		const withStore = await addValidationData(pdf, { certificates: [], crls: [] });
		expect(await readPdfSeal(withStore)).toMatchObject({ intact: true, level: 'B-B' });
		expect(signatureValid(await pdfsig(withStore))).toBe(true);
	});
});

describe('every kind of sealed document, through the signing worker with an authority', () => {
	const { log, lines } = capturingLogger();
	let sealer: DocumentSealer;
	beforeAll(() => {
		sealer = new DocumentSealer({ log, timestampAuthority: stampedBy(authority) });
	});
	afterAll(() => sealer.close());

	for (const kind of SEALED_KINDS.filter((kind) => kind !== 'case_file')) {
		it(`${kind}: B-LT, the profile's attributes, valid for pdfsig`, async () => {
			const sealed = await sealer.seal({ ...agreementInput(), kind }, seal);
			expect(sealed.level).toBe('B-LT');
			expect(attributeNames(await opensslCmsPrint(sealed.pdf), 'signedAttrs')).toEqual(SIGNED_ATTRIBUTES);
			expect(await readPdfSeal(sealed.pdf)).toMatchObject({ intact: true, level: 'B-LT' });
			expect(signatureValid(await pdfsig(sealed.pdf))).toBe(true);
		});
	}

	it('case_file: B-LT, the profile’s attributes, valid for pdfsig', async () => {
		const document = await sealer.seal(agreementInput(), seal);
		const sealed = await sealer.sealDossier(
			{
				title: '张三与李四相邻关系纠纷',
				caseNumber: '2026-QSZ-000123',
				fileNumber: '（2026）青山人调字第1号',
				committee: COMMITTEE,
				mediators: ['王五'],
				retention: '长期',
				firstDocumentAt: new Date(),
				lastDocumentAt: new Date(),
				filedBy: '王五',
				filedAt: new Date(),
				verificationUrl: 'https://example.org/verify',
				parts: [{ type: 'pdf', title: '人民调解协议书', pdf: document.pdf }]
			},
			seal
		);
		expect(sealed.level).toBe('B-LT');
		expect(await readPdfSeal(sealed.pdf)).toMatchObject({ intact: true, level: 'B-LT' });
		expect(signatureValid(await pdfsig(sealed.pdf))).toBe(true);
	});

	it('warns, and seals at B-B, when the authority is down', async () => {
		authority.misbehave = 'http_error';
		try {
			const sealed = await sealer.seal(agreementInput(), seal);
			expect(sealed.level).toBe('B-B');
			expect(lines.some((line) => String(line.msg).includes('without a timestamp'))).toBe(true);
		} finally {
			authority.misbehave = 'no';
		}
	});
});

describe('the app configured with TSA_URL', () => {
	let app: TestApp;
	beforeAll(async () => {
		app = await createTestApp({ TSA_URL: authority.url, TSA_USERNAME: 'committee', TSA_PASSWORD: 'tsa-secret' });
	});
	afterAll(() => app.dispose());

	it('stamps every seal its sealer makes', async () => {
		expect((await app.sealer.seal(agreementInput(), seal)).level).toBe('B-LT');
	});
});

describe('a seal made before the PAdES profile', () => {
	it('still reads as intact, with no level, its time from its signing-time attribute', async () => {
		const legacy = await readFile(new URL('../fixtures/legacy-seal.pdf', import.meta.url));
		const read = await readPdfSeal(legacy);
		expect(read).toMatchObject({ intact: true, coversWholeFile: true, level: null, timestampedAt: null });
		expect(read.signedAt).toBeInstanceOf(Date);
		expect(signatureValid(await pdfsig(legacy))).toBe(true);
	});
});
