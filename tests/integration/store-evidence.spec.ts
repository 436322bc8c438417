import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { caseEvidence, cases, committees, orgNodes } from '#server/db/schema.ts';
import { evidenceResponse } from '#server/evidence/evidence-response.ts';
import { readEvidenceFile, type EvidenceFile } from '#server/evidence/read-evidence-file.ts';
import { readUploads } from '#server/evidence/read-uploads.ts';
import { storeEvidence } from '#server/evidence/store-evidence.ts';
import { docx, gbkText, GBK_TEXT, pdf, png } from '../support/evidence-samples.ts';
import { addOrgNode, test } from '../support/integration-test.ts';

let caseSerial = 0;

/** A bare case in a village under the town, handled by the town's committee. */
async function addCase(app: App, town: { admin: Parameters<typeof addOrgNode>[1]; townId: string }) {
	const village = await addOrgNode(app, town.admin, { id: town.townId }, 'village', `村${++caseSerial}`);
	const [committee] = await app.db.select().from(committees).where(eq(committees.orgNodeId, town.townId));
	const [townNode] = await app.db.select().from(orgNodes).where(eq(orgNodes.id, town.townId));
	const [row] = await app.db
		.insert(cases)
		.values({
			number: `2026-QSZ-${String(caseSerial).padStart(6, '0')}`,
			disputeType: 'neighbour',
			channel: 'online',
			facts: '排水沟堵塞，雨水倒灌。',
			claims: '疏通排水沟。',
			villageId: village.id,
			committeeId: committee.id,
			committeePath: townNode.path,
			searchText: '排水沟堵塞',
			searchTokens: ['排', '水', '排水']
		})
		.returning({ id: cases.id });
	return row.id;
}

const upload = (bytes: Uint8Array, name: string) => readUploads([new File([new Uint8Array(bytes)], name)]);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('storeEvidence and readEvidenceFile', () => {
	test('store files with a case and give back the very same bytes', async ({ app, town }) => {
		const caseId = await addCase(app, town);
		const uploads = await readUploads([
			new File([new Uint8Array(png())], '现场照片.png'),
			new File([new Uint8Array(docx())], '调解申请书.docx')
		]);

		const stored = await app.db.transaction((tx) => storeEvidence(tx, caseId, uploads, { userId: town.admin.id }));

		expect(stored).toEqual([
			{
				id: expect.any(String),
				filename: '现场照片.png',
				mimeType: 'image/png',
				sha256: sha256(png()),
				size: png().length
			},
			{
				id: expect.any(String),
				filename: '调解申请书.docx',
				mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
				sha256: sha256(docx()),
				size: docx().length
			}
		]);
		const file = await readEvidenceFile(app.db, caseId, stored[1].id);
		expect(file).toMatchObject({ filename: '调解申请书.docx', size: docx().length, sha256: sha256(docx()) });
		expect(Buffer.isBuffer(file!.content)).toBe(true);
		expect(file!.content.equals(docx())).toBe(true);
		expect(sha256(file!.content)).toBe(file!.sha256);
		const [row] = await app.db.select().from(caseEvidence).where(eq(caseEvidence.id, stored[0].id));
		expect(row).toMatchObject({ caseId, uploadedById: town.admin.id, uploadedByPartyId: null });
	});

	test('every byte value survives the round trip', async ({ app, town }) => {
		const caseId = await addCase(app, town);
		// A PDF whose body holds all 256 byte values, as binary streams in real PDFs do.
		const bytes = Buffer.concat([pdf(), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
		const stored = await app.db.transaction(async (tx) =>
			storeEvidence(tx, caseId, await upload(bytes, 'scan.pdf'), {})
		);

		const file = await readEvidenceFile(app.db, caseId, stored[0].id);

		expect(file!.content.equals(bytes)).toBe(true);
	});

	test("another case's evidence, an unknown id or a malformed id find nothing", async ({ app, town }) => {
		const caseId = await addCase(app, town);
		const otherCaseId = await addCase(app, town);
		const [stored] = await app.db.transaction(async (tx) =>
			storeEvidence(tx, caseId, await upload(png(), 'a.png'), { userId: town.admin.id })
		);

		expect(await readEvidenceFile(app.db, otherCaseId, stored.id)).toBeNull();
		expect(await readEvidenceFile(app.db, caseId, randomUUID())).toBeNull();
		expect(await readEvidenceFile(app.db, caseId, 'not-a-uuid')).toBeNull();
		expect(await readEvidenceFile(app.db, caseId, stored.id)).not.toBeNull();
	});
});

describe('evidenceResponse', () => {
	const evidence = (bytes: Buffer, filename: string, mimeType: EvidenceFile['mimeType']): EvidenceFile => ({
		filename,
		mimeType,
		size: bytes.length,
		sha256: sha256(bytes),
		content: bytes
	});

	test('serves the stored bytes under the detected type, sandboxed and never cached', async () => {
		const response = evidenceResponse(evidence(png(), '现场照片.png', 'image/png'), 'inline');

		expect(response.headers.get('content-type')).toBe('image/png');
		expect(response.headers.get('content-length')).toBe(String(png().length));
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('cache-control')).toBe('private, no-store');
		expect(response.headers.get('content-security-policy')).toContain('sandbox');
		expect(response.headers.get('content-disposition')).toBe(
			`inline; filename="____.png"; filename*=UTF-8''${encodeURIComponent('现场照片.png')}`
		);
		expect(Buffer.from(await response.arrayBuffer()).equals(png())).toBe(true);
	});

	test('names the encoding of text, and sends GBK text as it was uploaded', async () => {
		const response = evidenceResponse(evidence(gbkText(), '说明.txt', 'text/plain'), 'inline');

		expect(response.headers.get('content-type')).toBe('text/plain; charset=gb18030');
		const bytes = Buffer.from(await response.arrayBuffer());
		expect(bytes.equals(gbkText())).toBe(true);
		expect(new TextDecoder('gb18030').decode(bytes)).toBe(GBK_TEXT);
		const utf8 = evidenceResponse(evidence(Buffer.from('说明'), 'a.txt', 'text/plain'), 'inline');
		expect(utf8.headers.get('content-type')).toBe('text/plain; charset=utf-8');
	});

	test('leaves PDFs unsandboxed, which Chromium would refuse to show', () => {
		const response = evidenceResponse(evidence(pdf(), 'a.pdf', 'application/pdf'), 'inline');
		expect(response.headers.get('content-type')).toBe('application/pdf');
		expect(response.headers.get('content-security-policy')).toBeNull();
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
	});

	test('offers a download under a name that ends as its type does', () => {
		const disposition = (filename: string, mimeType: EvidenceFile['mimeType']) =>
			evidenceResponse(evidence(Buffer.from('x'), filename, mimeType), 'attachment').headers.get('content-disposition');

		expect(disposition('run.bat', 'text/plain')).toBe(
			`attachment; filename="run.bat.txt"; filename*=UTF-8''run.bat.txt`
		);
		expect(disposition('PHOTO.JPEG', 'image/jpeg')).toBe(
			`attachment; filename="PHOTO.JPEG"; filename*=UTF-8''PHOTO.JPEG`
		);
		expect(disposition(`it's "a" (1)%.pdf`, 'application/pdf')).toBe(
			`attachment; filename="it's _a_ (1)_.pdf"; filename*=UTF-8''it%27s%20%22a%22%20%281%29%25.pdf`
		);
	});
});
