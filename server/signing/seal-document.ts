import { createHash } from 'node:crypto';
import { documentLabels } from './pdf/document-labels.ts';
import type { DocumentPdfInput } from './pdf/document-pdf-input.ts';
import { buildDocumentPdf } from './pdf/build-document-pdf.ts';
import { buildDossierPdf, type DossierContents, type PhotoEmbedding } from './pdf/build-dossier-pdf.ts';
import type { DossierPdfInput } from './pdf/dossier-pdf-input.ts';
import type { FontEmbedding } from './pdf/page-writer.ts';
import type { SealLevel } from '#shared/verification.ts';
import type { TimestampAuthority } from './pades/request-timestamp.ts';
import type { SealKey } from './seal-keys/seal-key.ts';
import { sealPdf } from './seal-keys/seal-pdf.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// Beside the worker that runs it: it joins the two rooms, the PDF (pdf/) and the seal (seal-keys/).

export type SealedDocument = {
	pdf: Uint8Array;
	/** SHA-256 of the sealed PDF, lower-case hex. */
	sha256: string;
	pages: number;
	/** Characters no installed font has, printed as 〓, each once. */
	replacedCharacters: string[];
	/** The PAdES level the seal reached. */
	level: SealLevel;
	/** Why the timestamp authority gave no stamp, when one was asked for. */
	stampFailure: string | null;
};

/** The case file sealed, with where each of its documents starts and ends. */
export type SealedDossier = SealedDocument & { contents: DossierContents };

export type SealOptions = {
	embedding?: FontEmbedding;
	photos?: PhotoEmbedding;
	now?: Date;
	timestampAuthority?: TimestampAuthority;
};

/** The document built as a PDF and sealed with the committee's key, in the calling thread. */
export async function sealDocument(
	input: DocumentPdfInput,
	key: SealKey,
	options: SealOptions = {}
): Promise<SealedDocument> {
	const built = await buildDocumentPdf(input, { embedding: options.embedding });
	const reason = `${documentLabels(input.language).titles[input.kind ?? 'agreement']} ${input.caseNumber}`;
	const sealed = await sealPdf(built.pdf, key, {
		name: input.committee,
		location: input.committee,
		reason,
		signingTime: options.now ?? new Date(),
		timestampAuthority: options.timestampAuthority
	});
	return { ...sealed, sha256: sha256(sealed.pdf), pages: built.pages, replacedCharacters: built.replacedCharacters };
}

/** The case file bound as a PDF and sealed with the committee's key, in the calling thread. */
export async function sealDossier(
	input: DossierPdfInput,
	key: SealKey,
	options: SealOptions = {}
): Promise<SealedDossier> {
	const built = await buildDossierPdf(input, options);
	const sealed = await sealPdf(built.pdf, key, {
		name: input.committee,
		location: input.committee,
		reason: `${documentLabels('zh-CN').titles.case_file} ${input.fileNumber || input.caseNumber}`,
		signingTime: options.now ?? new Date(),
		timestampAuthority: options.timestampAuthority
	});
	return {
		...sealed,
		sha256: sha256(sealed.pdf),
		pages: built.pages,
		contents: built.contents,
		replacedCharacters: built.replacedCharacters
	};
}
