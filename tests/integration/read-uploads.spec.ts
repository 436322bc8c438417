import { createHash } from 'node:crypto';
import { describe, expect, test, vi } from 'vitest';
import { readUploads } from '#server/evidence/read-uploads.ts';
import { EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES } from '#shared/cases.ts';
import { docx, gbkText, jpeg, pdf, png, windowsProgram } from '../support/evidence-samples.ts';
import { expectAppError } from '../support/integration-test.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const file = (bytes: Uint8Array, name: string, type = '') => new File([new Uint8Array(bytes)], name, { type });
/** What the browser sends for a file input left empty. */
const noFileChosen = () => new File([], '', { type: 'application/octet-stream' });
const nameOf = async (name: string) => (await readUploads([file(Buffer.from('笔录'), name)]))[0].filename;

describe('readUploads', () => {
	test('reads each file with its detected type, size and SHA-256', async () => {
		const files = [
			file(jpeg(), '现场照片.jpg', 'image/jpeg'),
			file(pdf(), '借条.pdf', 'application/pdf'),
			file(docx(), '调解申请书.docx'),
			file(gbkText(), '情况说明.txt', 'text/plain')
		];

		const uploads = await readUploads(files);

		expect(uploads.map((u) => [u.filename, u.mimeType])).toEqual([
			['现场照片.jpg', 'image/jpeg'],
			['借条.pdf', 'application/pdf'],
			['调解申请书.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
			['情况说明.txt', 'text/plain']
		]);
		expect(uploads[1].bytes.equals(pdf())).toBe(true);
		expect(uploads[1].size).toBe(pdf().length);
		expect(uploads[1].sha256).toBe(sha256(pdf()));
		expect(uploads[3].sha256).toMatch(/^[0-9a-f]{64}$/);
	});

	test('goes by the content, not by the name or the type the browser claimed', async () => {
		const [upload] = await readUploads([file(png(), 'notes.txt', 'text/plain')]);
		expect(upload.mimeType).toBe('image/png');
	});

	test('skips file inputs left empty', async () => {
		expect(await readUploads([noFileChosen()])).toEqual([]);
		const uploads = await readUploads([noFileChosen(), file(png(), 'a.png'), noFileChosen()]);
		expect(uploads.map((u) => u.filename)).toEqual(['a.png']);
	});

	test(`takes at most ${EVIDENCE_MAX_FILES} files, not counting empty inputs`, async () => {
		const five = Array.from({ length: EVIDENCE_MAX_FILES }, (_, i) => file(png(), `${i}.png`));
		expect(await readUploads([...five, noFileChosen()])).toHaveLength(EVIDENCE_MAX_FILES);
		await expectAppError(readUploads([...five, file(png(), 'six.png')]), 'VALIDATION', { evidence: ['too_many'] });
	});

	test('takes a file of exactly the size limit', async () => {
		const [upload] = await readUploads([file(Buffer.alloc(EVIDENCE_MAX_BYTES, 'a'), 'long.txt')]);
		expect(upload.size).toBe(EVIDENCE_MAX_BYTES);
	});

	test('refuses a file one byte over the limit before reading any file', async () => {
		const small = file(png(), 'small.png');
		const big = file(Buffer.alloc(EVIDENCE_MAX_BYTES + 1, 'a'), 'big.txt');
		const reads = [vi.spyOn(small, 'arrayBuffer'), vi.spyOn(big, 'arrayBuffer')];

		const error = await expectAppError(readUploads([small, big]), 'PAYLOAD_TOO_LARGE', { evidence: ['too_large'] });

		expect(error.status).toBe(413);
		for (const read of reads) expect(read).not.toHaveBeenCalled();
	});

	test('refuses a program renamed .pdf', async () => {
		await expectAppError(readUploads([file(windowsProgram(), 'scan.pdf', 'application/pdf')]), 'VALIDATION', {
			evidence: ['file_type']
		});
	});

	test('refuses binary data', async () => {
		await expectAppError(readUploads([file(Buffer.from([0, 1, 2, 3, 0, 255]), 'data.txt')]), 'VALIDATION', {
			evidence: ['file_type']
		});
	});

	test('refuses an empty file that was chosen', async () => {
		await expectAppError(readUploads([file(Buffer.alloc(0), 'empty.txt')]), 'VALIDATION', {
			evidence: ['empty_file']
		});
	});
});

describe('readUploads file names', () => {
	test('keeps the base name only', async () => {
		expect(await nameOf('C:\\Users\\张三\\Desktop\\情况说明.txt')).toBe('情况说明.txt');
		expect(await nameOf('../../etc/passwd')).toBe('passwd');
	});

	test('drops control characters and direction overrides', async () => {
		expect(await nameOf('line\r\nbreak\u0000.txt')).toBe('linebreak.txt');
		// U+202E would make `photo\u202Egpj.exe` display as `photoexe.jpg`.
		expect(await nameOf('photo\u202egpj.exe')).toBe('photogpj.exe');
	});

	test('falls back to "file" when nothing is left', async () => {
		expect(await nameOf('')).toBe('file');
		expect(await nameOf('..')).toBe('file');
		expect(await nameOf('dir/')).toBe('file');
		expect(await nameOf('\u0007')).toBe('file');
	});

	test('caps long names at 200 characters, keeping the extension', async () => {
		const name = await nameOf(`${'调'.repeat(300)}.txt`);
		expect(Array.from(name)).toHaveLength(200);
		expect(name.endsWith('调.txt')).toBe(true);
		const emoji = await nameOf('😀'.repeat(250));
		expect(emoji).toBe('😀'.repeat(200));
	});

	test('composes names that macOS sends decomposed', async () => {
		expect(await nameOf('cafe\u0301.txt')).toBe('café.txt');
	});
});
