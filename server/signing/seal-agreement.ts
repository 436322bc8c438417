import { createHash } from 'node:crypto';
import { agreementLabels } from './pdf/agreement-labels.ts';
import type { AgreementPdfInput } from './pdf/agreement-pdf-input.ts';
import { buildAgreementPdf, type FontEmbedding } from './pdf/build-agreement-pdf.ts';
import type { SealKey } from './seal-keys/seal-key.ts';
import { sealPdf } from './seal-keys/seal-pdf.ts';

// Beside the worker that runs it: it joins the two rooms, the PDF (pdf/) and the seal (seal-keys/).

export type SealedAgreement = {
	pdf: Uint8Array;
	/** SHA-256 of the sealed PDF, lower-case hex. */
	sha256: string;
	pages: number;
	/** Characters no installed font has, printed as 〓, each once. */
	replacedCharacters: string[];
};

export type SealOptions = { embedding?: FontEmbedding; now?: Date };

/** The agreement built as a PDF and sealed with the committee's key, in the calling thread. */
export async function sealAgreement(
	input: AgreementPdfInput,
	key: SealKey,
	options: SealOptions = {}
): Promise<SealedAgreement> {
	const built = await buildAgreementPdf(input, { embedding: options.embedding });
	const reason = `${agreementLabels(input.language).sealReason} ${input.caseNumber}`;
	const pdf = await sealPdf(built.pdf, key, {
		name: input.committee,
		location: input.committee,
		reason,
		signingTime: options.now ?? new Date()
	});
	return {
		pdf,
		sha256: createHash('sha256').update(pdf).digest('hex'),
		pages: built.pages,
		replacedCharacters: built.replacedCharacters
	};
}
