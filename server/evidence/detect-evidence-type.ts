import type { EvidenceType } from '#shared/cases.ts';

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const GIF = [ascii('GIF87a'), ascii('GIF89a')];
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');
const ZIP = ascii('PK\x03\x04');
/** Programs (Windows, Linux, macOS), refused before anything else so that a PDF header placed inside one cannot let it in. */
const EXECUTABLES = [
	ascii('MZ'),
	ascii('\x7fELF'),
	[0xfe, 0xed, 0xfa, 0xce],
	[0xfe, 0xed, 0xfa, 0xcf],
	[0xce, 0xfa, 0xed, 0xfe],
	[0xcf, 0xfa, 0xed, 0xfe],
	[0xca, 0xfe, 0xba, 0xbe]
];

/** PDF readers look for the header anywhere in the first KiB, after whatever junk a mail or scanner put before it. */
const PDF_HEADER_WITHIN = 1024;
const PDF_HEADER = /%PDF-\d\.\d/;

const ZIP_END = 0x06054b50;
const ZIP_END_SIZE = 22;
const ZIP_CENTRAL_ENTRY = 0x02014b50;
const ZIP_CENTRAL_ENTRY_SIZE = 46;

/** C0 and C1 control characters other than tab, line feed, form feed and carriage return. */
const CONTROL = /(?![\t\n\f\r])\p{Cc}/u;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/**
 * What an upload is, judged by its content alone: the name and the type the
 * browser claimed are the uploader's to choose and are never trusted. Null
 * for anything that is not evidence we accept.
 */
export function detectEvidenceType(bytes: Uint8Array): EvidenceType | null {
	if (bytes.length === 0 || EXECUTABLES.some((signature) => startsWith(bytes, signature))) return null;
	if (startsWith(bytes, JPEG)) return 'image/jpeg';
	if (startsWith(bytes, PNG)) return 'image/png';
	if (GIF.some((signature) => startsWith(bytes, signature))) return 'image/gif';
	if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return 'image/webp';
	if (startsWith(bytes, ZIP))
		return isDocx(bytes) ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : null;
	if (hasPdfHeader(bytes)) return 'application/pdf';
	// HTML and SVG pass as plain text too. That is safe only because evidence is
	// served as text/plain with nosniff and a sandbox CSP: browsers show the markup, never run it.
	if (textEncodingOf(bytes)) return 'text/plain';
	return null;
}

/**
 * The encoding a plain-text file is in, or null if it is not text. Besides
 * UTF-8: GB18030 (a superset of GBK, what Chinese Windows Notepad saved by
 * default) and UTF-16 with a byte-order mark (Notepad's "Unicode").
 */
export function textEncodingOf(bytes: Uint8Array): TextEncoding | null {
	const candidates: TextEncoding[] = startsWith(bytes, [0xff, 0xfe])
		? ['utf-16le']
		: startsWith(bytes, [0xfe, 0xff])
			? ['utf-16be']
			: bytes.includes(0)
				? []
				: ['utf-8', 'gb18030'];
	for (const encoding of candidates) {
		const text = decodeStrictly(bytes, encoding);
		if (text !== null && !CONTROL.test(text)) return encoding;
	}
	return null;
}

function decodeStrictly(bytes: Uint8Array, encoding: TextEncoding): string | null {
	try {
		return new TextDecoder(encoding, { fatal: true }).decode(bytes);
	} catch {
		return null;
	}
}

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
	return bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);
}

function hasPdfHeader(bytes: Uint8Array): boolean {
	const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, PDF_HEADER_WITHIN + 8));
	const found = PDF_HEADER.exec(head.toString('latin1'));
	return found !== null && found.index < PDF_HEADER_WITHIN;
}

/**
 * A Word document is a zip holding the package's content-type index and the
 * main part `word/document.xml`. Macro-enabled documents (.docm) also have a
 * `word/vbaProject.bin`; those are not .docx and are refused.
 */
function isDocx(bytes: Uint8Array): boolean {
	const names = zipEntryNames(bytes);
	return (
		names !== null &&
		names.includes('[Content_Types].xml') &&
		names.includes('word/document.xml') &&
		!names.includes('word/vbaProject.bin')
	);
}

/**
 * The entry names in a zip's central directory, the index at its end that zip
 * readers (Word among them) go by, read without unpacking anything. Null when
 * no readable central directory is found.
 */
function zipEntryNames(bytes: Uint8Array): string[] | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	// The end record closes the file, followed only by a comment of at most 65535 bytes.
	const earliest = Math.max(0, bytes.length - ZIP_END_SIZE - 0xffff);
	for (let end = bytes.length - ZIP_END_SIZE; end >= earliest; end--) {
		if (view.getUint32(end, true) !== ZIP_END) continue;
		const names = centralDirectoryNames(view, view.getUint16(end + 10, true), view.getUint32(end + 16, true));
		if (names) return names;
	}
	return null;
}

function centralDirectoryNames(view: DataView, count: number, offset: number): string[] | null {
	const names: string[] = [];
	let at = offset;
	for (let i = 0; i < count; i++) {
		if (at + ZIP_CENTRAL_ENTRY_SIZE > view.byteLength || view.getUint32(at, true) !== ZIP_CENTRAL_ENTRY) return null;
		const nameLength = view.getUint16(at + 28, true);
		const extraLength = view.getUint16(at + 30, true);
		const commentLength = view.getUint16(at + 32, true);
		const nameStart = at + ZIP_CENTRAL_ENTRY_SIZE;
		if (nameStart + nameLength > view.byteLength) return null;
		names.push(Buffer.from(view.buffer, view.byteOffset + nameStart, nameLength).toString('utf8'));
		at = nameStart + nameLength + extraLength + commentLength;
	}
	return names;
}
