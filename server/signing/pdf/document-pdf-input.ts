import { z } from 'zod';
import { SEALED_KINDS } from '#shared/documents.ts';
import { MAX_SIGNATURE_BYTES, PNG_SIGNATURE, SIGNATURE_METHODS } from '#shared/signing.ts';

/** Largest agreement text: about a hundred pages. */
export const MAX_DOCUMENT_TEXT_LENGTH = 100_000;
const MAX_BLOCKS = 10_000;
/** Largest PDF bound into a document (a sealed agreement is a few hundred kilobytes). */
export const MAX_APPENDIX_BYTES = 20 * 1024 * 1024;

const line = (max: number) =>
	z
		.string()
		.trim()
		.min(1)
		.max(max)
		.refine((value) => !/[\r\n]/.test(value), 'invalid');

const png = z
	.custom<Uint8Array>((value) => value instanceof Uint8Array)
	.refine((bytes) => bytes.byteLength <= MAX_SIGNATURE_BYTES, 'too_large')
	.refine((bytes) => PNG_SIGNATURE.every((byte, index) => bytes[index] === byte), 'file_type');

/**
 * A document of record to print and seal: the agreement, or another of the case file's documents
 * (`kind`), set the same way. Only the agreement needs signers; a register the committee issues
 * may carry none, and is dated `issuedAt`.
 */
export const documentPdfInputSchema = z
	.object({
		kind: z.enum(SEALED_KINDS).default('agreement'),
		language: z.enum(['zh-CN', 'en']),
		title: line(100),
		caseNumber: line(40),
		committee: line(100),
		/**
		 * The frozen agreement as `agreementBlocks` gives it from the editor's document: headings (the
		 * first-level one is the title), paragraphs, numbered clauses.
		 */
		blocks: z
			.array(
				z.object({
					prefix: z.string().max(200),
					text: z.string().max(MAX_DOCUMENT_TEXT_LENGTH),
					heading: z.number().int().min(1).max(6).optional()
				})
			)
			.min(1)
			.max(MAX_BLOCKS)
			.refine(
				(blocks) => blocks.reduce((total, block) => total + block.text.length, 0) <= MAX_DOCUMENT_TEXT_LENGTH,
				'too_large'
			),
		signers: z
			.array(
				z
					.object({
						name: line(100),
						/** The role as the document's signature lines name it: 申请人, 被申请人, 人民调解员, 法律顾问. */
						role: line(40),
						signature: png,
						signedAt: z.date(),
						ip: line(45),
						/** Browser and system from a fixed list (`describeDevice`), never a header as sent; empty when unknown. */
						device: z.string().max(60),
						/** How they signed: on their own device, in person on a mediator's, or attested by the mediator. */
						method: z.enum(SIGNATURE_METHODS).default('own_device'),
						/** The mediator on whose device they signed in person, or who attested their paper signature. */
						witness: line(100).optional(),
						/** For an attested signature: SHA-256 of the photo of the paper signature. */
						paperPhotoSha256: z
							.string()
							.regex(/^[0-9a-f]{64}$/)
							.optional()
					})
					.refine((signer) => signer.method === 'own_device' || signer.witness, {
						path: ['witness'],
						error: 'required'
					})
					.refine((signer) => (signer.method === 'attested') === (signer.paperPhotoSha256 !== undefined), {
						path: ['paperPhotoSha256'],
						error: 'required'
					})
			)
			.max(20),
		/**
		 * PDFs bound in after the document's own pages and before its certificate, page by page and
		 * without their form fields: the sealed agreement a judicial-confirmation application goes with.
		 */
		appendices: z
			.array(
				z.object({
					title: line(100),
					pdf: z
						.custom<Uint8Array>((value) => value instanceof Uint8Array)
						.refine((bytes) => bytes.byteLength <= MAX_APPENDIX_BYTES, 'too_large')
				})
			)
			.max(3)
			.default([]),
		/** The day the document is dated when nobody signs it; otherwise the last signature's. */
		issuedAt: z.date().optional(),
		/** SHA-256 of the agreement text, lower-case hex. */
		textSha256: z.string().regex(/^[0-9a-f]{64}$/),
		verificationUrl: z.url({ protocol: /^https?$/ }).max(500),
		/** Where the times on the certificate are given; the committee's zone. */
		timeZone: z
			.string()
			.default('Asia/Shanghai')
			.refine((zone) => {
				try {
					new Intl.DateTimeFormat('en', { timeZone: zone });
					return true;
				} catch {
					return false;
				}
			}, 'invalid')
	})
	.refine((input) => input.kind !== 'agreement' || input.signers.length > 0, {
		path: ['signers'],
		error: 'required'
	})
	.refine((input) => input.signers.length > 0 || input.issuedAt, { path: ['issuedAt'], error: 'required' });

export type DocumentPdfInput = z.input<typeof documentPdfInputSchema>;
export type DocumentPdf = z.output<typeof documentPdfInputSchema>;
export type DocumentLanguage = DocumentPdf['language'];
