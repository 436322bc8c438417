import type { EvidenceType } from '#shared/cases.ts';
import { contentDisposition } from '../content-disposition.ts';
import { textEncodingOf } from './detect-evidence-type.ts';
import type { EvidenceFile } from './read-evidence-file.ts';

/**
 * The endings a file of each type may keep on download. A name with none of
 * them gets the first added, so that what an uploader called `run.bat` saves
 * as `run.bat.txt` and opens as the text it is.
 */
const EXTENSIONS: Record<EvidenceType, readonly string[]> = {
	'image/jpeg': ['.jpg', '.jpeg'],
	'image/png': ['.png'],
	'image/gif': ['.gif'],
	'image/webp': ['.webp'],
	'application/pdf': ['.pdf'],
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
	'text/plain': ['.txt']
};

/**
 * Uploaded content must never run as part of this site: the type is the one
 * detected from the content and the browser may not guess another (nosniff),
 * and the document is sandboxed with nothing allowed to load, so even markup
 * uploaded as text or an image with a script inside stays inert. `style-src`
 * lets the browser style its own viewer for text and images.
 */
const SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * The HTTP response that serves an evidence file, to view in the browser
 * (`inline`) or to save (`attachment`). The bytes are sent exactly as stored,
 * so a download matches the SHA-256 on record.
 */
export function evidenceResponse(file: EvidenceFile, disposition: 'inline' | 'attachment'): Response {
	const headers = new Headers({
		'content-type': contentType(file),
		'content-length': String(file.content.length),
		'content-disposition': contentDisposition(disposition, downloadName(file)),
		'x-content-type-options': 'nosniff',
		'cache-control': 'private, no-store',
		'cross-origin-resource-policy': 'same-origin'
	});
	// Chromium's PDF viewer refuses to open in a sandboxed document (crbug.com/413851),
	// showing "blocked" instead. The viewer runs apart from the page and PDF scripts
	// are confined by the viewer itself, so PDFs go without the sandbox.
	if (file.mimeType !== 'application/pdf') headers.set('content-security-policy', SANDBOX);
	return new Response(new Uint8Array(file.content), { headers });
}

/** Text is sent in the encoding it was written in, named in the header; browsers decode GB18030 and UTF-16 themselves. */
function contentType(file: EvidenceFile): string {
	if (file.mimeType !== 'text/plain') return file.mimeType;
	return `text/plain; charset=${textEncodingOf(file.content) ?? 'utf-8'}`;
}

function downloadName(file: EvidenceFile): string {
	const extensions = EXTENSIONS[file.mimeType];
	const lower = file.filename.toLowerCase();
	return extensions.some((extension) => lower.endsWith(extension)) ? file.filename : file.filename + extensions[0];
}
