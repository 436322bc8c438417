import { z } from 'zod';
import { MAX_DOCUMENT_TEXT_LENGTH } from './document-pdf-input.ts';

const line = (max: number) =>
	z
		.string()
		.trim()
		.min(1)
		.max(max)
		.refine((value) => !/[\r\n]/.test(value), 'invalid');

const bytes = (max: number) =>
	z.custom<Uint8Array>((value) => value instanceof Uint8Array).refine((value) => value.byteLength <= max, 'too_large');

const blocks = z
	.array(
		z.object({
			prefix: z.string().max(200),
			text: z.string().max(MAX_DOCUMENT_TEXT_LENGTH),
			heading: z.number().int().min(1).max(6).optional()
		})
	)
	.max(10_000);

/** Largest sealed document or evidence PDF bound in, and largest photo before it is scaled for print. */
export const DOSSIER_PART_MAX_BYTES = 50 * 1024 * 1024;
export const DOSSIER_MAX_PARTS = 300;

/**
 * One document of the case file, as the binder takes it: text the app writes for the file (the
 * application, the evidence list, the audit extract), a PDF bound in page by page (a sealed
 * document, an evidence PDF), or photos, each reproduced on a page of its own.
 */
const part = z.discriminatedUnion('type', [
	z.object({ type: z.literal('text'), title: line(100), blocks }),
	z.object({ type: z.literal('pdf'), title: line(100), pdf: bytes(DOSSIER_PART_MAX_BYTES) }),
	z.object({
		type: z.literal('photos'),
		title: line(100),
		photos: z.array(z.object({ caption: line(300), image: bytes(DOSSIER_PART_MAX_BYTES) })).max(200)
	})
]);

/** The case file (卷宗) to bind: its cover's facts, and its documents in order. */
export const dossierPdfInputSchema = z.object({
	/** 卷号: （2026）东村人调字第3号, or empty while the case is not filed. */
	fileNumber: z.string().trim().max(60),
	/** 卷名: the parties and the matter. */
	title: line(200),
	caseNumber: line(40),
	committee: line(100),
	mediators: z.array(line(100)).max(20),
	firstDocumentAt: z.date(),
	lastDocumentAt: z.date(),
	filedBy: line(100),
	filedAt: z.date(),
	/** 保管期限, as the committee's table gives it for the dispute's type. */
	retention: line(40),
	parts: z.array(part).min(1).max(DOSSIER_MAX_PARTS),
	verificationUrl: z.url({ protocol: /^https?$/ }).max(500),
	timeZone: z.string().default('Asia/Shanghai')
});

export type DossierPdfInput = z.input<typeof dossierPdfInputSchema>;
export type DossierPdf = z.output<typeof dossierPdfInputSchema>;
export type DossierPart = DossierPdf['parts'][number];
