import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { createSealKey } from '#server/signing/seal-keys/create-seal-key.ts';
import { sealDocument } from '#server/signing/seal-document.ts';
import { sealKeyFor } from '#server/signing/seal-keys/seal-key-for.ts';
import { verifyAgreementId, verifyPdfFile, verifySha256 } from '#server/signing/verification/verify-sealed-document.ts';
import { VERIFY_MAX_BYTES, type Verification } from '#shared/verification.ts';
import { pdf as unsealedPdf } from '../support/evidence-samples.ts';
import { recordSealedAgreement } from '../support/sealed-agreement.ts';
import { startTimestampAuthority } from '../support/timestamp-authority.ts';
import { GET, POST } from '../../src/routes/verify/+server.ts';
import { agreementInput, sha256 } from '../support/signing-samples.ts';
import { expectAppError, test } from '../support/integration-test.ts';

const TOWN_COMMITTEE = '青石镇人民调解委员会';
/** What an agreement holds and the verification must never tell: parties, case number, text. */
const CONTENTS = ['张三', '李四', '2026-QSZ-000123', '排水沟', '申请人'];

/** Now, in the whole seconds a seal's signing time records (the certificate is newer than any fixed date). */
const sealTime = () => new Date(Math.floor(Date.now() / 1000) * 1000);

const fileOf = (bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], 'agreement.pdf');
const verifyBytes = (app: App, bytes: Uint8Array) => verifyPdfFile(app.db, { file: fileOf(bytes) });

/** The PDF with one byte changed at `at` (counted from the end when negative). */
function changed(pdf: Uint8Array, at: number): Uint8Array {
	const copy = new Uint8Array(pdf);
	const index = at < 0 ? copy.length + at : at;
	copy[index] = copy[index] === 0x30 ? 0x31 : 0x30;
	return copy;
}

function expectNoContents(verification: unknown) {
	const text = JSON.stringify(verification);
	for (const secret of CONTENTS) expect(text).not.toContain(secret);
}

type HandlerEvent = Parameters<typeof POST>[0];

/** Calls the /verify endpoint as SvelteKit would, for a client asking for JSON. */
function endpoint(app: App, method: 'GET' | 'POST', url: string, body?: FormData, ip = '198.51.100.9') {
	const request = new Request(new URL(url, 'http://tiaojie.test'), {
		method,
		body,
		headers: { accept: 'application/json' }
	});
	const event = {
		locals: { app },
		request,
		url: new URL(request.url),
		getClientAddress: () => ip
	} as unknown as HandlerEvent;
	return (method === 'GET' ? GET : POST)(event);
}

const upload = (bytes: Uint8Array | string) => {
	const form = new FormData();
	form.set('file', new File([bytes as BlobPart], 'agreement.pdf'));
	return form;
};

describe('verifying an uploaded PDF', () => {
	test('a recorded agreement is authentic: its seal, date and pages, nothing of its contents', async ({
		app,
		town
	}) => {
		const sealedAt = sealTime();
		const agreement = await recordSealedAgreement(app, town.admin, { sealedAt });

		const verification = await verifyBytes(app, agreement.pdf);

		expect(verification).toEqual({
			status: 'authentic',
			kind: 'agreement',
			sha256: agreement.sha256,
			organisation: TOWN_COMMITTEE,
			commonName: TOWN_COMMITTEE,
			orgNodeName: '青石镇',
			sealedAt,
			level: 'B-B',
			timestampedAt: null,
			pages: agreement.pages,
			supersededAt: null
		} satisfies Verification);
		expect(agreement.pages).toBeGreaterThan(0);
		expectNoContents(verification);
		expect(JSON.stringify(verification)).not.toContain(agreement.caseId);
	});

	test('a superseded agreement says so, and since when', async ({ app, town }) => {
		const supersededAt = new Date('2026-11-30T08:00:00Z');
		const agreement = await recordSealedAgreement(app, town.admin, { supersededAt });

		expect(await verifyBytes(app, agreement.pdf)).toMatchObject({
			status: 'superseded',
			organisation: TOWN_COMMITTEE,
			supersededAt
		});
	});

	test('a byte changed in what the seal covers, or bytes appended, make it altered', async ({ app, town }) => {
		const agreement = await recordSealedAgreement(app, town.admin);

		for (const altered of [
			changed(agreement.pdf, 2000),
			changed(agreement.pdf, -20),
			new Uint8Array([...agreement.pdf, ...Buffer.from('\n% appended\n')])
		]) {
			const verification = await verifyBytes(app, altered);
			expect(verification.status).toBe('altered');
			expect(verification).toMatchObject({ organisation: null, sealedAt: null, pages: null });
		}
	});

	test('a byte changed anywhere in the seal itself is never authentic', async ({ app, town }) => {
		const agreement = await recordSealedAgreement(app, town.admin);
		const text = Buffer.from(agreement.pdf).toString('latin1');
		const start = text.lastIndexOf('/Contents <') + '/Contents <'.length;
		const cmsHexLength = /^[0-9a-f]*?(?=0*>)/i.exec(text.slice(start))![0].length;

		// The signature's own bytes: any change there breaks it. A change in parts of the CMS no
		// signature covers (its outer headers, the embedded certificate) may leave a signature that
		// still verifies, but the file is then not the recorded one: unrecorded or unknown.
		for (let offset = 10; offset < cmsHexLength; offset += Math.ceil(cmsHexLength / 40)) {
			const verification = await verifyBytes(app, changed(agreement.pdf, start + offset));
			expect(['altered', 'unrecorded', 'unknown']).toContain(verification.status);
		}
		expect((await verifyBytes(app, changed(agreement.pdf, start + cmsHexLength - 10))).status).toBe('altered');
	});

	test('an intact seal of ours on a file not in the records is reported as ours but unrecorded', async ({
		app,
		town
	}) => {
		const seal = await sealKeyFor(app.db, town.townId);
		const sealedAt = sealTime();
		const sealed = await sealDocument(agreementInput(), seal.key, { now: sealedAt });

		const verification = await verifyBytes(app, sealed.pdf);

		expect(verification).toEqual({
			status: 'unrecorded',
			kind: null,
			sha256: sealed.sha256,
			organisation: TOWN_COMMITTEE,
			commonName: TOWN_COMMITTEE,
			orgNodeName: '青石镇',
			sealedAt,
			level: 'B-B',
			timestampedAt: null,
			pages: null,
			supersededAt: null
		});
		expectNoContents(verification);
	});

	test('an intact seal by a certificate that is not ours is unknown', async ({ app }) => {
		const foreign = createSealKey({ organisation: '别处调解委员会', passphrase: 'a foreign passphrase' });
		const sealed = await sealDocument(agreementInput(), foreign);

		expect(await verifyBytes(app, sealed.pdf)).toMatchObject({ status: 'unknown', organisation: null });
	});

	test('a PDF without a seal is not sealed', async ({ app }) => {
		const bytes = unsealedPdf();
		expect(await verifyBytes(app, bytes)).toMatchObject({ status: 'not_sealed', sha256: sha256(bytes) });
	});

	test('a file that is no PDF, an empty one and a missing one are refused with field codes', async ({ app }) => {
		await expectAppError(verifyBytes(app, Buffer.from('GIF89a not a pdf')), 'VALIDATION', { file: ['file_type'] });
		await expectAppError(verifyBytes(app, new Uint8Array()), 'VALIDATION', { file: ['empty_file'] });
		await expectAppError(verifyPdfFile(app.db, { file: 'agreement.pdf' }), 'VALIDATION', { file: ['required'] });
		await expectAppError(verifyPdfFile(app.db, {}), 'VALIDATION', { file: ['required'] });
	});

	test('a file over the limit is PAYLOAD_TOO_LARGE, unread', async ({ app }) => {
		await expectAppError(verifyBytes(app, new Uint8Array(VERIFY_MAX_BYTES + 1)), 'PAYLOAD_TOO_LARGE');
	});
});

describe('verifying a SHA-256 or the QR code of an agreement', () => {
	test('finds the recorded agreement by its hash (any case of hex) and by its id', async ({ app, town }) => {
		const agreement = await recordSealedAgreement(app, town.admin);
		const expected = {
			status: 'authentic',
			kind: 'agreement',
			sha256: agreement.sha256,
			organisation: TOWN_COMMITTEE,
			level: 'B-B',
			pages: agreement.pages
		};

		expect(await verifySha256(app.db, { sha256: agreement.sha256 })).toMatchObject(expected);
		expect(await verifySha256(app.db, { sha256: ` ${agreement.sha256.toUpperCase()} ` })).toMatchObject(expected);
		const byId = await verifyAgreementId(app.db, { agreement: agreement.id });
		expect(byId).toMatchObject(expected);
		expectNoContents(byId);
	});

	test('an unknown hash or id is unknown; a malformed one is a field error', async ({ app }) => {
		expect(await verifySha256(app.db, { sha256: 'ab'.repeat(32) })).toMatchObject({
			status: 'unknown',
			sha256: 'ab'.repeat(32),
			organisation: null
		});
		expect(await verifyAgreementId(app.db, { agreement: crypto.randomUUID() })).toMatchObject({ status: 'unknown' });
		await expectAppError(verifySha256(app.db, { sha256: 'xyz' }), 'VALIDATION', { sha256: ['invalid'] });
		await expectAppError(verifyAgreementId(app.db, { agreement: 'not-an-id' }), 'VALIDATION', {
			agreement: ['invalid']
		});
	});
});

describe('the seal level', () => {
	test('a recorded agreement stamped by a timestamp authority is B-LT, with the authority time, by file and by hash', async ({
		app,
		town
	}) => {
		const authority = await startTimestampAuthority();
		try {
			const agreement = await recordSealedAgreement(app, town.admin, { timestampAuthority: { url: authority.url } });
			const byFile = await verifyBytes(app, agreement.pdf);
			expect(byFile).toMatchObject({ status: 'authentic', level: 'B-LT', timestampedAt: expect.any(Date) });
			expect(await verifySha256(app.db, { sha256: agreement.sha256 })).toEqual(byFile);
		} finally {
			await authority.close();
		}
	});
});

describe('the JSON answer of /verify', () => {
	test('POST of a file and GET of a hash answer the documented shape, dates in ISO 8601', async ({ app, town }) => {
		const sealedAt = sealTime();
		const agreement = await recordSealedAgreement(app, town.admin, { sealedAt });
		const expected = {
			status: 'authentic',
			kind: 'agreement',
			sha256: agreement.sha256,
			organisation: TOWN_COMMITTEE,
			commonName: TOWN_COMMITTEE,
			orgNodeName: '青石镇',
			sealedAt: sealedAt.toISOString(),
			level: 'B-B',
			timestampedAt: null,
			pages: agreement.pages,
			supersededAt: null
		};

		const posted = await endpoint(app, 'POST', '/verify', upload(agreement.pdf));
		expect(posted.status).toBe(200);
		expect(posted.headers.get('content-type')).toMatch(/^application\/json/);
		expect(await posted.json()).toEqual(expected);

		const got = await endpoint(app, 'GET', `/verify?sha256=${agreement.sha256}`);
		expect(await got.json()).toEqual(expected);
		const byId = await endpoint(app, 'GET', `/verify?agreement=${agreement.id}`);
		expect(await byId.json()).toEqual(expected);

		const altered = await endpoint(app, 'POST', '/verify', upload(changed(agreement.pdf, 2000)));
		expect(await altered.json()).toMatchObject({ status: 'altered', organisation: null });
	});

	test('refusals are error replies with their status: not a PDF 400, too large 413, no query 400', async ({ app }) => {
		const notPdf = await endpoint(app, 'POST', '/verify', upload('plain text'));
		expect(notPdf.status).toBe(400);
		expect(await notPdf.json()).toEqual({ ok: false, error: { code: 'VALIDATION', fields: { file: ['file_type'] } } });

		const tooLarge = await endpoint(app, 'POST', '/verify', upload(new Uint8Array(VERIFY_MAX_BYTES + 1)));
		expect(tooLarge.status).toBe(413);
		expect(await tooLarge.json()).toEqual({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });

		const notForm = await endpoint(app, 'POST', '/verify');
		expect(notForm.status).toBe(400);
		expect(await notForm.json()).toMatchObject({
			ok: false,
			error: { code: 'VALIDATION', fields: { file: ['required'] } }
		});

		const badHash = await endpoint(app, 'GET', '/verify?sha256=123');
		expect(badHash.status).toBe(400);
		expect(await badHash.json()).toEqual({ ok: false, error: { code: 'VALIDATION', fields: { sha256: ['invalid'] } } });
		expect((await endpoint(app, 'GET', '/verify')).status).toBe(400);
	});

	test('one address may upload 30 files in ten minutes; then 429 with Retry-After, others still served', async ({
		app
	}) => {
		for (let i = 0; i < 30; i++) {
			expect((await endpoint(app, 'POST', '/verify', upload(unsealedPdf()))).status).toBe(200);
		}
		const refused = await endpoint(app, 'POST', '/verify', upload(unsealedPdf()));
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(500);
		expect(await refused.json()).toEqual({ ok: false, error: { code: 'RATE_LIMITED' } });

		const other = await endpoint(app, 'POST', '/verify', upload(unsealedPdf()), '198.51.100.10');
		expect(await other.json()).toMatchObject({ status: 'not_sealed' });
		// Looking up a hash reads nothing heavy and is not counted.
		expect((await endpoint(app, 'GET', `/verify?sha256=${'ab'.repeat(32)}`)).status).toBe(200);
	});
});
