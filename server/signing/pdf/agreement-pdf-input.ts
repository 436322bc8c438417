import { z } from 'zod';
import { MAX_SIGNATURE_BYTES, PNG_SIGNATURE } from '#shared/signing.ts';

/** Largest agreement text: about a hundred pages. */
export const MAX_AGREEMENT_TEXT_LENGTH = 100_000;
const MAX_BLOCKS = 10_000;

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

export const agreementPdfInputSchema = z.object({
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
				text: z.string().max(MAX_AGREEMENT_TEXT_LENGTH),
				heading: z.number().int().min(1).max(6).optional()
			})
		)
		.min(1)
		.max(MAX_BLOCKS)
		.refine(
			(blocks) => blocks.reduce((total, block) => total + block.text.length, 0) <= MAX_AGREEMENT_TEXT_LENGTH,
			'too_large'
		),
	signers: z
		.array(
			z.object({
				name: line(100),
				/** The role as the document's signature lines name it: 申请人, 被申请人, 人民调解员, 法律顾问. */
				role: line(40),
				signature: png,
				signedAt: z.date(),
				ip: line(45),
				/** Browser and system from a fixed list (`describeDevice`), never a header as sent; empty when unknown. */
				device: z.string().max(60)
			})
		)
		.min(1)
		.max(20),
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
});

export type AgreementPdfInput = z.input<typeof agreementPdfInputSchema>;
export type AgreementPdf = z.output<typeof agreementPdfInputSchema>;
export type AgreementLanguage = AgreementPdf['language'];
