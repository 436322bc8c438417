import { describe, expect, test } from 'vitest';
import { detectEvidenceType, textEncodingOf } from '#server/evidence/detect-evidence-type.ts';
import {
	docx,
	elfProgram,
	gbkText,
	gif,
	jpeg,
	pdf,
	png,
	webp,
	windowsProgram,
	zip
} from '../support/evidence-samples.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('detectEvidenceType accepts', () => {
	test.each([
		['a JPEG', jpeg(), 'image/jpeg'],
		['a PNG', png(), 'image/png'],
		['a GIF', gif(), 'image/gif'],
		['a WebP', webp(), 'image/webp'],
		['a PDF', pdf(), 'application/pdf'],
		['a Word document', docx(), DOCX],
		['UTF-8 Chinese text', Buffer.from('申请人：周桂兰\n\t邻居排水沟堵塞。\r\n\f第二页'), 'text/plain'],
		['UTF-8 text with a byte-order mark', Buffer.from('\ufeff调解笔录'), 'text/plain'],
		['GBK Chinese text from Windows Notepad', gbkText(), 'text/plain'],
		['UTF-16 text with a byte-order mark', Buffer.from('\ufeff调解笔录\r\n', 'utf16le'), 'text/plain'],
		// Safe as text only because it is served as text/plain, nosniff, sandboxed.
		['HTML markup, as text', Buffer.from('<html><script>alert(1)</script></html>'), 'text/plain'],
		['SVG markup, as text', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'text/plain']
	])('%s', (_name, bytes, type) => {
		expect(detectEvidenceType(bytes)).toBe(type);
	});

	test('a PDF with junk before its header, as long as the header starts in the first KiB', () => {
		expect(detectEvidenceType(pdf('X'.repeat(1000)))).toBe('application/pdf');
		expect(detectEvidenceType(pdf('X'.repeat(1024)))).not.toBe('application/pdf');
	});

	test('a Word document whose zip has a comment after the central directory', () => {
		const bytes = docx();
		bytes.writeUInt16LE(7, bytes.length - 2);
		expect(detectEvidenceType(Buffer.concat([bytes, Buffer.from('comment')]))).toBe(DOCX);
	});
});

describe('detectEvidenceType refuses', () => {
	test.each([
		['an empty file', Buffer.alloc(0)],
		['a Windows program renamed .pdf, with a PDF header inside', windowsProgram()],
		['a Linux program', elfProgram()],
		['a zip that is not a Word document', zip({ 'hello.txt': 'hello' })],
		['an Excel workbook', zip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' })],
		['a macro-enabled Word document', docx({ 'word/vbaProject.bin': 'macros' })],
		['a zip whose central directory is cut off', docx().subarray(0, 300)],
		['binary data with NUL bytes', Buffer.from([0x01, 0x00, 0x02, 0x00, 0x41, 0x42])],
		['text with terminal escape codes', Buffer.from('ok\x1b[31mred\x1b[0m')],
		['bytes that are neither UTF-8 nor GB18030', Buffer.from([0x41, 0xff, 0xfe, 0x42])],
		['UTF-16 that hides NUL characters', Buffer.from('\ufeffa\u0000b', 'utf16le')]
	])('%s', (_name, bytes) => {
		expect(detectEvidenceType(bytes)).toBeNull();
	});
});

describe('textEncodingOf', () => {
	test('names the encoding a browser must decode the text with', () => {
		expect(textEncodingOf(Buffer.from('调解'))).toBe('utf-8');
		expect(textEncodingOf(gbkText())).toBe('gb18030');
		expect(textEncodingOf(Buffer.from('\ufeff调解', 'utf16le'))).toBe('utf-16le');
		expect(textEncodingOf(Buffer.from('\ufeff调解', 'utf16le').swap16())).toBe('utf-16be');
		expect(textEncodingOf(png())).toBeNull();
	});
});
