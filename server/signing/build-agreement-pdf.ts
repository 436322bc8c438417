import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { AppError } from '#shared/errors.ts';
import { parseInput } from '../parse-input.ts';
import { agreementLabels, type AgreementLabels } from './agreement-labels.ts';
import { agreementPdfInputSchema, type AgreementPdf, type AgreementPdfInput } from './agreement-pdf-input.ts';
import { mainFont, rareCharactersFont, subsetFace, subsetName, type FontFace } from './agreement-fonts.ts';
import { breakLines } from './break-lines.ts';
import { drawQrCode } from './draw-qr-code.ts';
import { FontPlan, type FontChoice } from './font-runs.ts';

/** How the fonts go into the file: cut to the characters used, or whole (the benchmark's reference). */
export type FontEmbedding = 'subset' | 'full';

export type BuiltAgreementPdf = {
	pdf: Uint8Array;
	pages: number;
	/** Characters no installed font has, drawn as 〓, each once. */
	replacedCharacters: string[];
};

/** A4 in points, and the margins no text crosses. */
export const PAGE = { width: 595.28, height: 841.89, marginX: 64, marginTop: 72, marginBottom: 72 };
const FOOTER_Y = 40;
const TEXT_WIDTH = PAGE.width - 2 * PAGE.marginX;
const SIZE = { title: 20, heading: 13, body: 11.5, small: 9.5, footer: 9 };
const LEADING = 1.7;
const SIGNATURE_BOX = { width: 150, height: 54 };
const QR_SIZE = 110;
const INK = rgb(0.1, 0.1, 0.1);
const FAINT = rgb(0.55, 0.55, 0.55);

/**
 * A line of the agreement that reads as a heading: short, not a clause, and no sentence in it.
 * The frozen text keeps no formatting, so this is judged from the words; a heading is kept with
 * the text that follows it.
 */
export function isHeadingLine(line: string): boolean {
	return line.length <= 30 && !/^\s/.test(line) && !/^(\d+\.|-) /.test(line) && !/[。．.;；:：,，!！?？]/.test(line);
}

type Fonts = Record<FontChoice, PDFFont | null>;

/** Places text and images down the pages, starting a page when the next piece does not fit. */
class PageWriter {
	readonly #doc: PDFDocument;
	readonly #fonts: Fonts;
	readonly #plan: FontPlan;
	readonly #widths = new Map<string, number>();
	page!: PDFPage;
	y = 0;

	constructor(doc: PDFDocument, fonts: Fonts, plan: FontPlan) {
		this.#doc = doc;
		this.#fonts = fonts;
		this.#plan = plan;
		this.newPage();
	}

	newPage(): void {
		this.page = this.#doc.addPage([PAGE.width, PAGE.height]);
		this.y = PAGE.height - PAGE.marginTop;
	}

	/** Makes room for `height` points below the cursor, on a new page if this one is too full. */
	ensure(height: number): void {
		if (this.y - height < PAGE.marginBottom) this.newPage();
	}

	space(height: number): void {
		this.y = Math.max(this.y - height, PAGE.marginBottom);
	}

	/** Width of `text` at `size`: glyph advances, as pdf-lib draws them (no kerning). */
	width(text: string, size: number): number {
		let total = 0;
		for (const run of this.#plan.runs(text)) {
			const font = this.#font(run.font);
			for (const char of run.text) {
				const key = run.font + char;
				let width = this.#widths.get(key);
				if (width === undefined) {
					width = font.widthOfTextAtSize(char, 1);
					this.#widths.set(key, width);
				}
				total += width * size;
			}
		}
		return total;
	}

	#font(choice: FontChoice): PDFFont {
		const font = this.#fonts[choice];
		if (!font) throw new AppError('INTERNAL', { cause: new Error(`no ${choice} font embedded`) });
		return font;
	}

	/** Draws one line at the cursor's baseline, run by run, each run in its own font. */
	drawLine(text: string, x: number, size: number, color = INK): void {
		let at = x;
		for (const run of this.#plan.runs(text)) {
			this.page.drawText(run.text, { x: at, y: this.y, size, font: this.#font(run.font), color });
			at += this.width(run.text, size);
		}
	}

	lines(text: string, size: number, width: number): string[] {
		return breakLines(text, width, (part) => this.width(part, size));
	}

	/**
	 * A paragraph, wrapped, its first line after `lead` (a clause number, a label) and the rest
	 * hanging under the text. `keepLines` lines at least stay on the page with whatever follows.
	 */
	paragraph(
		text: string,
		options: {
			size: number;
			indent?: number;
			lead?: string;
			leadWidth?: number;
			keep?: number;
			color?: ReturnType<typeof rgb>;
		}
	): void {
		const indent = options.indent ?? 0;
		const leadWidth = options.lead ? (options.leadWidth ?? this.width(options.lead, options.size)) : 0;
		// A lead as wide as half the line (a long role before a name) runs on with the text instead.
		if (options.lead && leadWidth > (TEXT_WIDTH - indent) / 2) {
			return this.paragraph(options.lead + text, { ...options, lead: undefined, leadWidth: undefined });
		}
		const lineHeight = options.size * LEADING;
		const lines = this.lines(text, options.size, TEXT_WIDTH - indent - leadWidth);
		if (lines.length === 0) lines.push('');
		// No widow or orphan: a paragraph of up to three lines moves whole, a longer one keeps two together.
		this.ensure(lineHeight * Math.max(options.keep ?? 0, lines.length <= 3 ? lines.length : 2));
		lines.forEach((line, index) => {
			const remaining = lines.length - index;
			if (index > 0) this.ensure(lineHeight * (remaining === 2 ? 2 : 1));
			this.y -= lineHeight;
			if (index === 0 && options.lead) this.drawLine(options.lead, PAGE.marginX + indent, options.size, options.color);
			this.drawLine(line, PAGE.marginX + indent + leadWidth, options.size, options.color);
		});
	}

	image(image: PDFImage, x: number, box: { width: number; height: number }): void {
		const scale = Math.min(box.width / image.width, box.height / image.height);
		this.page.drawImage(image, { x, y: this.y, width: image.width * scale, height: image.height * scale });
	}

	rule(): void {
		this.page.drawLine({
			start: { x: PAGE.marginX, y: this.y },
			end: { x: PAGE.width - PAGE.marginX, y: this.y },
			thickness: 0.5,
			color: FAINT
		});
	}
}

const dateFormat = (agreement: AgreementPdf) =>
	new Intl.DateTimeFormat(agreement.language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
		timeZone: agreement.timeZone,
		year: 'numeric',
		month: 'long',
		day: 'numeric'
	});

/** `2026-11-29 11:30:05 (Asia/Shanghai)`: unambiguous in both languages. */
function timestamp(date: Date, timeZone: string): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23'
		})
			.formatToParts(date)
			.map((part) => [part.type, part.value])
	);
	return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} (${timeZone})`;
}

const colon = (agreement: AgreementPdf) => (agreement.language === 'zh-CN' ? '：' : ': ');

/** The agreement's lines, without its own title line when that only repeats the title printed above. */
function bodyLines(agreement: AgreementPdf): string[] {
	const lines = agreement.text.split(/\r?\n/).map((line) => line.replace(/\t/g, '    ').trimEnd());
	const first = lines.findIndex((line) => line.trim() !== '');
	if (first !== -1 && lines[first].trim() === agreement.title) lines.splice(first, 1);
	return lines.filter((line) => line.trim() !== '');
}

function writeHeader(writer: PageWriter, agreement: AgreementPdf, labels: AgreementLabels): void {
	for (const line of writer.lines(agreement.title, SIZE.title, TEXT_WIDTH)) {
		writer.y -= SIZE.title * 1.3;
		writer.drawLine(line, (PAGE.width - writer.width(line, SIZE.title)) / 2, SIZE.title);
	}
	writer.space(SIZE.title * 0.6);
	const separator = colon(agreement);
	writer.paragraph(agreement.caseNumber, { size: SIZE.body, lead: labels.caseNumber + separator });
	writer.paragraph(agreement.committee, { size: SIZE.body, lead: labels.committee + separator });
	writer.space(SIZE.body * 0.6);
	writer.paragraph(labels.parties, { size: SIZE.heading, keep: 3 });
	for (const party of agreement.parties) {
		writer.paragraph(party.name, { size: SIZE.body, lead: party.role + separator });
	}
	writer.space(SIZE.body);
	writer.rule();
	writer.space(SIZE.body * 0.4);
}

function writeBody(writer: PageWriter, agreement: AgreementPdf): void {
	const digitWidth = writer.width('0', SIZE.body);
	const lines = bodyLines(agreement);
	lines.forEach((line) => {
		const [, spaces, marker = '', text] = /^( *)((?:\d+\.|-) )?(.*)$/.exec(line) ?? ['', '', '', line];
		if (isHeadingLine(line)) {
			writer.space(SIZE.heading * 0.6);
			// A heading never ends a page: it stays with two lines of what follows.
			const following = SIZE.body * LEADING * 2;
			writer.ensure(SIZE.heading * LEADING + following);
			writer.paragraph(text, { size: SIZE.heading });
			return;
		}
		writer.paragraph(text, {
			size: SIZE.body,
			indent: spaces.length * digitWidth,
			...(marker && { lead: marker.trim(), leadWidth: marker.length * digitWidth })
		});
	});
}

async function writeSignatures(writer: PageWriter, doc: PDFDocument, agreement: AgreementPdf, labels: AgreementLabels) {
	const separator = colon(agreement);
	const dates = dateFormat(agreement);
	writer.space(SIZE.heading);
	writer.ensure(SIZE.heading * LEADING + SIGNATURE_BOX.height + SIZE.body * LEADING * 2);
	writer.paragraph(labels.signatures, { size: SIZE.heading });
	for (const [index, signer] of agreement.signers.entries()) {
		let image: PDFImage;
		try {
			image = await doc.embedPng(signer.signature);
		} catch (error) {
			throw new AppError('VALIDATION', { fields: { [`signers.${index}.signature`]: ['file_type'] }, cause: error });
		}
		const label = `${signer.role}${separator}${signer.name}`;
		// The name stands before the signature line, or above it when the two do not fit side by side.
		const besideLine = writer.width(label, SIZE.body) + 12 <= TEXT_WIDTH - SIGNATURE_BOX.width - 8;
		if (!besideLine) writer.paragraph(label, { size: SIZE.body, keep: 2 });
		const labelWidth = besideLine ? writer.width(label, SIZE.body) + 12 : 0;
		writer.ensure(SIGNATURE_BOX.height + SIZE.small * LEADING + 8);
		writer.y -= SIGNATURE_BOX.height;
		if (besideLine) writer.drawLine(label, PAGE.marginX, SIZE.body);
		const lineStart = PAGE.marginX + labelWidth;
		writer.image(image, lineStart + 4, SIGNATURE_BOX);
		writer.page.drawLine({
			start: { x: lineStart, y: writer.y - 3 },
			end: { x: lineStart + SIGNATURE_BOX.width + 8, y: writer.y - 3 },
			thickness: 0.6,
			color: INK
		});
		writer.y -= 4;
		writer.paragraph(dates.format(signer.signedAt), {
			size: SIZE.small,
			indent: labelWidth,
			lead: labels.signedOn + separator,
			color: FAINT
		});
		writer.space(6);
	}
	const lastSigned = new Date(Math.max(...agreement.signers.map((signer) => signer.signedAt.getTime())));
	writer.space(SIZE.body);
	const closing = [agreement.committee, dates.format(lastSigned)].flatMap((text) =>
		writer.lines(text, SIZE.body, TEXT_WIDTH)
	);
	writer.ensure(SIZE.body * LEADING * closing.length);
	for (const line of closing) {
		writer.y -= SIZE.body * LEADING;
		writer.drawLine(line, PAGE.width - PAGE.marginX - writer.width(line, SIZE.body), SIZE.body);
	}
}

function writeCertificate(writer: PageWriter, agreement: AgreementPdf, labels: AgreementLabels): void {
	const separator = colon(agreement);
	writer.newPage();
	writer.paragraph(labels.certificateTitle, { size: SIZE.heading + 3 });
	writer.space(4);
	writer.paragraph(labels.certificateIntro, { size: SIZE.small });
	writer.space(SIZE.body);
	for (const signer of agreement.signers) {
		const details = [
			[labels.signedAt, timestamp(signer.signedAt, agreement.timeZone)],
			[labels.ip, signer.ip],
			[labels.device, signer.device || '—']
		];
		writer.paragraph(`${signer.name}（${signer.role}）`, { size: SIZE.body, keep: 4, lead: labels.signer + separator });
		for (const [label, value] of details) {
			writer.paragraph(value, { size: SIZE.small, indent: 12, lead: label + separator, color: INK });
		}
		writer.space(SIZE.small);
	}
	writer.space(SIZE.small);
	writer.paragraph(labels.textSha256, { size: SIZE.small, keep: 2 });
	writer.paragraph(agreement.textSha256, { size: SIZE.small });
	writer.space(SIZE.small);
	writer.ensure(SIZE.small * LEADING * 3 + QR_SIZE);
	writer.paragraph(labels.verification, { size: SIZE.small });
	writer.paragraph(agreement.verificationUrl, { size: SIZE.small });
	drawQrCode(writer.page, agreement.verificationUrl, { x: PAGE.marginX - 8, top: writer.y - 4, size: QR_SIZE });
	writer.space(QR_SIZE);
}

function allText(agreement: AgreementPdf, labels: AgreementLabels): string {
	const dates = dateFormat(agreement);
	return [
		Object.values(labels).filter((label) => typeof label === 'string'),
		labels.page(0, 0),
		'0123456789：: （）—-',
		agreement.title,
		agreement.caseNumber,
		agreement.committee,
		agreement.parties.flatMap((party) => [party.name, party.role]),
		agreement.text,
		agreement.signers.flatMap((signer) => [
			signer.name,
			signer.role,
			signer.ip,
			signer.device,
			dates.format(signer.signedAt),
			timestamp(signer.signedAt, agreement.timeZone)
		]),
		agreement.textSha256,
		agreement.verificationUrl
	]
		.flat()
		.join(' ')
		.replace(/[\r\n\t]/g, ' ');
}

/*
 * One glyph per character, as measured. Noto's `locl` swaps digits next to Latin letters for
 * glyphs whose CID differs from their glyph index, which pdf-lib writes as if they were the same
 * (the digits print full-width and extract as nothing); ligatures such as "fi" extract as
 * nothing too. The SC face's default glyphs are already the Chinese forms.
 */
const FEATURES = { locl: false, liga: false, clig: false, calt: false };

async function embedFace(doc: PDFDocument, face: FontFace, characters: string, embedding: FontEmbedding) {
	if (embedding === 'full') return doc.embedFont(face.bytes, { subset: false, features: FEATURES });
	const subset = await subsetFace(face, characters);
	return doc.embedFont(subset, { subset: false, customName: subsetName(face, characters), features: FEATURES });
}

/**
 * The agreement as an A4 PDF: title, case number, parties, the agreement's text with numbered
 * clauses, each signature at its line, the committee, page numbers, and a last page with the
 * signing certificate (signers, times, IPs, the text's SHA-256, the verification link and QR).
 */
export async function buildAgreementPdf(
	input: AgreementPdfInput,
	options: { embedding?: FontEmbedding } = {}
): Promise<BuiltAgreementPdf> {
	const agreement = parseInput(agreementPdfInputSchema, input);
	const labels = agreementLabels(agreement.language);
	const main = mainFont();
	let rare: FontFace | null | undefined;
	const plan = new FontPlan({
		main: main.covers,
		rare: (codePoint) => {
			rare ??= rareCharactersFont();
			return rare?.covers(codePoint) ?? false;
		}
	});
	plan.runs(allText(agreement, labels));
	plan.freeze();

	const signedAt = new Date(Math.max(...agreement.signers.map((signer) => signer.signedAt.getTime())));
	const doc = await PDFDocument.create({ updateMetadata: false });
	doc.registerFontkit(fontkit);
	doc.setTitle(`${agreement.title} ${agreement.caseNumber}`);
	doc.setAuthor(agreement.committee);
	doc.setCreator('Tiaojie');
	doc.setProducer('Tiaojie (pdf-lib)');
	doc.setCreationDate(signedAt);
	doc.setModificationDate(signedAt);
	const embedding = options.embedding ?? 'subset';
	const rareCharacters = plan.characters('rare');
	const fonts: Fonts = {
		main: await embedFace(doc, main, plan.characters('main'), embedding),
		rare: rareCharacters && rare ? await embedFace(doc, rare, rareCharacters, embedding) : null
	};

	const writer = new PageWriter(doc, fonts, plan);
	writeHeader(writer, agreement, labels);
	writeBody(writer, agreement);
	await writeSignatures(writer, doc, agreement, labels);
	writeCertificate(writer, agreement, labels);

	const pages = doc.getPages();
	pages.forEach((page, index) => {
		const text = labels.page(index + 1, pages.length);
		writer.page = page;
		writer.y = FOOTER_Y;
		writer.drawLine(text, (PAGE.width - writer.width(text, SIZE.footer)) / 2, SIZE.footer, FAINT);
	});
	const pdf = await doc.save({ useObjectStreams: false });
	return { pdf, pages: pages.length, replacedCharacters: plan.replaced() };
}
