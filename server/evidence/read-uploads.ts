import { createHash } from 'node:crypto';
import { EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES, type EvidenceType } from '#shared/cases.ts';
import { AppError } from '#shared/errors.ts';
import { detectEvidenceType } from './detect-evidence-type.ts';

export type Upload = { filename: string; mimeType: EvidenceType; size: number; sha256: string; bytes: Buffer };

const FILENAME_MAX = 200;
/** Longest ending kept whole when a long name is cut, so that `….pdf` still reads as a PDF. */
const EXTENSION_MAX = 16;
/** Control characters, and the bidirectional overrides that can make `exe.pdf` display as something else. */
const UNSAFE_IN_NAME = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** What a form's files may be: how many, how large each, of which types (all evidence types unless narrowed), and the field errors go to. */
export type UploadLimits = { maxFiles: number; maxBytes: number; types?: readonly EvidenceType[]; field: string };

const EVIDENCE_LIMITS: UploadLimits = { maxFiles: EVIDENCE_MAX_FILES, maxBytes: EVIDENCE_MAX_BYTES, field: 'evidence' };

/**
 * Checks and reads the evidence files of a form (or other uploads, within
 * their own limits). Limits are checked on the sizes the files declare before
 * any content is read; the type is then decided by the content.
 */
export async function readUploads(files: File[], limits: UploadLimits = EVIDENCE_LIMITS): Promise<Upload[]> {
	const invalid = (code: string) => new AppError('VALIDATION', { fields: { [limits.field]: [code] } });
	// A file input left empty still sends one part: no name, no bytes.
	const chosen = files.filter((file) => file.size > 0 || file.name !== '');
	if (chosen.length > limits.maxFiles) throw invalid('too_many');
	for (const file of chosen) {
		if (file.size === 0) throw invalid('empty_file');
		if (file.size > limits.maxBytes)
			throw new AppError('PAYLOAD_TOO_LARGE', { fields: { [limits.field]: ['too_large'] } });
	}
	const uploads: Upload[] = [];
	for (const file of chosen) {
		const bytes = Buffer.from(await file.arrayBuffer());
		const mimeType = detectEvidenceType(bytes);
		if (!mimeType || (limits.types && !limits.types.includes(mimeType))) throw invalid('file_type');
		uploads.push({
			filename: safeFilename(file.name),
			mimeType,
			size: bytes.length,
			sha256: createHash('sha256').update(bytes).digest('hex'),
			bytes
		});
	}
	return uploads;
}

/** The uploader's file name, fit to show and to offer back on download: the base name only, in one line, not too long. */
function safeFilename(name: string): string {
	const base = (name.split(/[/\\]/).pop() ?? '').replace(UNSAFE_IN_NAME, '').normalize('NFC').trim();
	if (base === '' || base === '.' || base === '..') return 'file';
	const chars = Array.from(base);
	if (chars.length <= FILENAME_MAX) return base;
	const dot = base.lastIndexOf('.');
	const extension = dot > 0 && base.length - dot <= EXTENSION_MAX ? Array.from(base.slice(dot)) : [];
	return [...chars.slice(0, FILENAME_MAX - extension.length), ...extension].join('');
}
