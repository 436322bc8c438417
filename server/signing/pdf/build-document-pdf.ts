import fontkit, { type Font } from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { AppError } from '#shared/errors.ts';
import { parseInput } from '../../parse-input.ts';
import { documentLabels, type DocumentLabels } from './document-labels.ts';
import { documentPdfInputSchema, type DocumentPdf, type DocumentPdfInput } from './document-pdf-input.ts';
import { rareCharactersFont, subsetFace, subsetName, textFont, titleFont, type FontFace } from './agreement-fonts.ts';
import { breakLines } from './break-lines.ts';
import { drawQrCode } from './draw-qr-code.ts';
import { drawSeal } from './draw-seal.ts';
import { FontPlan, type FontChoice } from './font-runs.ts';

/** How the fonts go into the file: cut to the characters used, or whole (the benchmark's reference). */
export type FontEmbedding = 'subset' | 'full';

export type BuiltDocumentPdf = {
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
const SIGNATURE_BOX = { width: 130, height: 46 };
const QR_SIZE = 110;
/** The seal's radius: 4 cm across, as a committee's seal is. */
const SEAL_RADIUS = 56.7;
const INK = rgb(0.1, 0.1, 0.1);
const FAINT = rgb(0.55, 0.55, 0.55);

/**
 * The lines of a document that say where signatures and the seal go, in Chinese or English
 * whatever the agreement's language: a signature line ("申请人（签名）：", "Applicant (signature):")
 * with the role it is for; the seal's line ("青山镇人民调解委员会（印章）"); a date
 * ("2026年11月29日", "29 November 2026"), which the seal covers when it follows that line.
 */
const LINES = {
	signature: /^\s*(\S.*?)\s*(?:[（(]签名[^）)]*[）)]|\(signature\))\s*[：:]?\s*$/iu,
	seal: /(?:[（(](?:印章|盖章)[）)]|\(seal\))\s*$/iu,
	date: /^\s*(?:\S{0,8}\s*年\s*\S{0,4}\s*月\s*\S{0,4}\s*日|(?:\d{1,2}\s+)?[A-Z][a-z]+\s+(?:\d{1,2},\s+)?\d{4})\s*$/u
};

type Style = 'regular' | 'bold';
type Fonts = Record<Style, Record<FontChoice, PDFFont | null>>;

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
	width(text: string, size: number, style: Style = 'regular'): number {
		let total = 0;
		for (const run of this.#plan.runs(text)) {
			const font = this.#font(run.font, style);
			for (const char of run.text) {
				const key = style + run.font + char;
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

	/** Bold where the bold face has the character; the rare characters have one weight only. */
	#font(choice: FontChoice, style: Style): PDFFont {
		const font = (choice === 'main' && this.#fonts[style][choice]) || this.#fonts.regular[choice];
		if (!font) throw new AppError('INTERNAL', { cause: new Error(`no ${choice} font embedded`) });
		return font;
	}

	/** Draws one line at the cursor's baseline, run by run, each run in its own font. */
	drawLine(text: string, x: number, size: number, color = INK, style: Style = 'regular'): void {
		let at = x;
		for (const run of this.#plan.runs(text)) {
			this.page.drawText(run.text, { x: at, y: this.y, size, font: this.#font(run.font, style), color });
			at += this.width(run.text, size, style);
		}
	}

	lines(text: string, size: number, width: number, style: Style = 'regular'): string[] {
		return breakLines(text, width, (part) => this.width(part, size, style));
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
			style?: Style;
		}
	): void {
		const indent = options.indent ?? 0;
		const leadWidth = options.lead ? (options.leadWidth ?? this.width(options.lead, options.size)) : 0;
		// A lead as wide as half the line (a long role before a name) runs on with the text instead.
		if (options.lead && leadWidth > (TEXT_WIDTH - indent) / 2) {
			return this.paragraph(options.lead + text, { ...options, lead: undefined, leadWidth: undefined });
		}
		const lineHeight = options.size * LEADING;
		const lines = this.lines(text, options.size, TEXT_WIDTH - indent - leadWidth, options.style);
		if (lines.length === 0) lines.push('');
		// No widow or orphan: a paragraph of up to three lines moves whole, a longer one keeps two together.
		this.ensure(lineHeight * Math.max(options.keep ?? 0, lines.length <= 3 ? lines.length : 2));
		lines.forEach((line, index) => {
			const remaining = lines.length - index;
			if (index > 0) this.ensure(lineHeight * (remaining === 2 ? 2 : 1));
			this.y -= lineHeight;
			if (index === 0 && options.lead) this.drawLine(options.lead, PAGE.marginX + indent, options.size, options.color);
			this.drawLine(line, PAGE.marginX + indent + leadWidth, options.size, options.color, options.style);
		});
	}

	image(image: PDFImage, x: number, box: { width: number; height: number }): void {
		const scale = Math.min(box.width / image.width, box.height / image.height);
		this.page.drawImage(image, { x, y: this.y, width: image.width * scale, height: image.height * scale });
	}
}

const dateFormat = (agreement: DocumentPdf) =>
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

/** The day the document is dated: the day given, or the last signature's (the schema asks for one of them). */
const datedOn = (document: DocumentPdf): Date =>
	document.issuedAt ?? new Date(Math.max(...document.signers.map((signer) => signer.signedAt.getTime())));

const colon = (agreement: DocumentPdf) => (agreement.language === 'zh-CN' ? '：' : ': ');

type SignerOnPage = DocumentPdf['signers'][number] & { image: PDFImage };

/** Each signer with their signature image, refused as a bad file where it is no PNG pdf-lib can read. */
async function signersWithImages(doc: PDFDocument, agreement: DocumentPdf): Promise<SignerOnPage[]> {
	return Promise.all(
		agreement.signers.map(async (signer, index) => {
			try {
				return { ...signer, image: await doc.embedPng(signer.signature) };
			} catch (error) {
				throw new AppError('VALIDATION', { fields: { [`signers.${index}.signature`]: ['file_type'] }, cause: error });
			}
		})
	);
}

/** The title (a first-level heading), centred in the bold face. */
function writeTitle(writer: PageWriter, text: string): void {
	writer.ensure(SIZE.title * 1.3 + SIZE.body * LEADING * 3);
	for (const line of writer.lines(text, SIZE.title, TEXT_WIDTH, 'bold')) {
		writer.y -= SIZE.title * 1.3;
		writer.drawLine(line, (PAGE.width - writer.width(line, SIZE.title, 'bold')) / 2, SIZE.title, INK, 'bold');
	}
	writer.space(SIZE.title * 0.6);
}

function writeHeading(writer: PageWriter, text: string): void {
	writer.space(SIZE.heading * 0.6);
	// A heading never ends a page: it stays with what follows, which keeps up to three lines together.
	writer.ensure(SIZE.heading * LEADING + SIZE.body * LEADING * 3);
	for (const line of text.split('\n')) writer.paragraph(line, { size: SIZE.heading, style: 'bold' });
}

/** A paragraph or clause; a clause's number hangs before its text, a continuation under it. */
function writeParagraph(writer: PageWriter, block: DocumentPdf['blocks'][number]): void {
	const digitWidth = writer.width('0', SIZE.body);
	const [, spaces = '', marker = ''] = /^( *)(.*)$/.exec(block.prefix) ?? [];
	block.text.split('\n').forEach((line, index) => {
		const lead = index === 0 && marker.trim() ? marker.trim() : undefined;
		writer.paragraph(line, {
			size: SIZE.body,
			indent: spaces.length * digitWidth,
			...(lead
				? { lead, leadWidth: marker.length * digitWidth }
				: { indent: (spaces.length + marker.length) * digitWidth })
		});
	});
}

/**
 * A signature line of the document ("申请人（签名）："), each of its signers' signatures drawn on
 * it with the date they signed; a line nobody signed stays as written.
 */
function writeSignatureLine(writer: PageWriter, label: string, signers: SignerOnPage[], dates: Intl.DateTimeFormat) {
	const lineHeight = SIZE.body * LEADING;
	writer.space(SIZE.body * 0.5);
	if (signers.length === 0) return writer.paragraph(label, { size: SIZE.body });
	const dateWidth = Math.max(...signers.map((signer) => writer.width(dates.format(signer.signedAt), SIZE.body)));
	const signatureWidth = SIGNATURE_BOX.width + 16 + dateWidth;
	// The label stands before the signatures, or above them when the two do not fit side by side.
	const beside = writer.width(label, SIZE.body) + 6 + signatureWidth <= TEXT_WIDTH;
	if (!beside) {
		writer.ensure(lineHeight * 2 + SIGNATURE_BOX.height);
		writer.paragraph(label, { size: SIZE.body, keep: 2 });
	}
	const lineStart = PAGE.marginX + (beside ? writer.width(label, SIZE.body) + 6 : 0);
	signers.forEach((signer, index) => {
		writer.ensure(SIGNATURE_BOX.height + 6);
		writer.y -= SIGNATURE_BOX.height;
		if (beside && index === 0) writer.drawLine(label, PAGE.marginX, SIZE.body);
		writer.image(signer.image, lineStart + 4, SIGNATURE_BOX);
		writer.page.drawLine({
			start: { x: lineStart, y: writer.y - 3 },
			end: { x: lineStart + SIGNATURE_BOX.width + 8, y: writer.y - 3 },
			thickness: 0.6,
			color: INK
		});
		writer.drawLine(dates.format(signer.signedAt), lineStart + SIGNATURE_BOX.width + 16, SIZE.body);
		writer.space(6);
	});
}

/**
 * The committee's name and the date, right-aligned and printed once, with the committee's seal
 * stamped over them.
 */
function writeSealed(writer: PageWriter, name: string, date: string, seal: { committee: string; font: Font }) {
	const lineHeight = SIZE.body * LEADING;
	const lines = [name, date].flatMap((text) => writer.lines(text, SIZE.body, TEXT_WIDTH));
	// Room above for the seal's upper half, so that it covers the name and the date, not what precedes them.
	writer.space(Math.max(SIZE.body, SEAL_RADIUS - (lineHeight * lines.length) / 2));
	writer.ensure(lineHeight * lines.length + SEAL_RADIUS);
	const top = writer.y;
	// Right-aligned, two characters in from the margin, as a document's signing-off is.
	const right = PAGE.width - PAGE.marginX - SIZE.body * 2;
	let widest = 0;
	for (const line of lines) {
		writer.y -= lineHeight;
		const width = writer.width(line, SIZE.body);
		widest = Math.max(widest, width);
		writer.drawLine(line, Math.max(PAGE.marginX, right - width), SIZE.body);
	}
	// Centred on the lines, and inside the margins.
	const x = Math.max(PAGE.marginX + SEAL_RADIUS, Math.min(right - widest / 2, PAGE.width - PAGE.marginX - SEAL_RADIUS));
	const y = (top + writer.y) / 2 + SIZE.body * 0.3;
	drawSeal(writer.page, seal.committee, seal.font, { x, y, radius: SEAL_RADIUS });
	writer.space(Math.max(0, y - SEAL_RADIUS - writer.y) + SIZE.body);
}

/**
 * The agreement as its document holds it: the title, headings, paragraphs and clauses; each
 * signer's signature on the document's line for their role (those it has no line for after the
 * last line, or at the end); the committee's seal where the document says （印章）, over the
 * committee's name and the date below it, or at the end with the day the last signer signed.
 */
function writeAgreement(writer: PageWriter, agreement: DocumentPdf, signers: SignerOnPage[], sealFont: Font): void {
	const labels = documentLabels(agreement.language);
	const dates = dateFormat(agreement);
	const unsigned = new Set(signers);
	const signaturesOf = (role: string) => signers.filter((signer) => signer.role === role && unsigned.delete(signer));
	const writeUnsigned = () => {
		for (const signer of signers)
			if (unsigned.has(signer))
				writeSignatureLine(writer, labels.signatureLineFor(signer.role), signaturesOf(signer.role), dates);
	};
	const seal = { committee: agreement.committee, font: sealFont };
	const lastSigned = datedOn(agreement);
	let sealed = false;
	const { blocks } = agreement;
	for (let index = 0; index < blocks.length; index++) {
		const block = blocks[index];
		const plain = block.heading === undefined && block.prefix === '';
		const signatureRole = plain && LINES.signature.exec(block.text)?.[1];
		const sealLine = plain && !sealed && LINES.seal.test(block.text);
		if (block.heading === 1) writeTitle(writer, block.text);
		else if (block.heading) writeHeading(writer, block.text);
		else if (signatureRole) writeSignatureLine(writer, block.text.trim(), signaturesOf(signatureRole), dates);
		else if (sealLine) {
			writeUnsigned();
			const next = blocks[index + 1];
			const dated = next?.heading === undefined && next?.prefix === '' && LINES.date.test(next.text);
			if (dated) index++;
			writeSealed(writer, block.text.trim(), dated ? next.text.trim() : dates.format(lastSigned), seal);
			sealed = true;
		} else writeParagraph(writer, block);
	}
	writeUnsigned();
	if (!sealed) writeSealed(writer, agreement.committee, dates.format(lastSigned), seal);
}

function writeCertificate(writer: PageWriter, agreement: DocumentPdf, labels: DocumentLabels): void {
	const separator = colon(agreement);
	writer.newPage();
	writer.paragraph(labels.certificateTitle, { size: SIZE.heading + 3 });
	writer.space(4);
	writer.paragraph(labels.certificateIntro(agreement.kind, agreement.signers.length > 0), { size: SIZE.small });
	writer.space(SIZE.body);
	for (const signer of agreement.signers) {
		const details = [
			[labels.signedAt, timestamp(signer.signedAt, agreement.timeZone)],
			[labels.ip, signer.ip],
			[labels.device, signer.device || '—'],
			[labels.method, labels.signedHow(signer)]
		];
		writer.paragraph(`${signer.name}（${signer.role}）`, { size: SIZE.body, keep: 5, lead: labels.signer + separator });
		for (const [label, value] of details) {
			writer.paragraph(value, { size: SIZE.small, indent: 12, lead: label + separator, color: INK });
		}
		writer.space(SIZE.small);
	}
	writer.space(SIZE.small);
	writer.paragraph(labels.textSha256(agreement.kind), { size: SIZE.small, keep: 2 });
	writer.paragraph(agreement.textSha256, { size: SIZE.small });
	writer.space(SIZE.small);
	writer.ensure(SIZE.small * LEADING * 3 + QR_SIZE);
	writer.paragraph(labels.verification(agreement.kind), { size: SIZE.small });
	writer.paragraph(agreement.verificationUrl, { size: SIZE.small });
	drawQrCode(writer.page, agreement.verificationUrl, { x: PAGE.marginX - 8, top: writer.y - 4, size: QR_SIZE });
	writer.space(QR_SIZE);
}

function allText(agreement: DocumentPdf, labels: DocumentLabels): string {
	const dates = dateFormat(agreement);
	return [
		Object.values(labels).filter((label) => typeof label === 'string'),
		Object.values(labels.titles),
		[true, false].map((signed) => labels.certificateIntro(agreement.kind, signed)),
		labels.textSha256(agreement.kind),
		labels.verification(agreement.kind),
		labels.page(0, 0),
		'0123456789：: （）—-',
		agreement.title,
		agreement.caseNumber,
		agreement.committee,
		agreement.blocks.flatMap((block) => [block.prefix, block.text]),
		agreement.signers.flatMap((signer) => [
			signer.name,
			signer.role,
			labels.signatureLineFor(signer.role),
			signer.ip,
			signer.device,
			labels.signedHow(signer),
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

/** What is set in the bold face: the headings, the title among them. */
const boldText = (agreement: DocumentPdf) =>
	agreement.blocks
		.filter((block) => block.heading !== undefined)
		.map((block) => block.text)
		.join('');

/**
 * The agreement as an A4 PDF, set as its document is (the template's title, headings, paragraphs
 * and numbered clauses), each signature on its signature line with its date, the committee's
 * seal over its name and the date, page numbers, and a last page with the signing certificate
 * (signers, times, IPs, the text's SHA-256, the verification link and QR).
 */
export async function buildDocumentPdf(
	input: DocumentPdfInput,
	options: { embedding?: FontEmbedding } = {}
): Promise<BuiltDocumentPdf> {
	const agreement = parseInput(documentPdfInputSchema, input);
	const labels = documentLabels(agreement.language);
	const main = textFont();
	const bold = titleFont();
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

	const signedAt = datedOn(agreement);
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
	const boldCharacters = plan
		.runs(boldText(agreement))
		.filter((run) => run.font === 'main')
		.map((run) => run.text)
		.join('');
	const fonts: Fonts = {
		regular: {
			main: await embedFace(doc, main, plan.characters('main'), embedding),
			rare: rareCharacters && rare ? await embedFace(doc, rare, rareCharacters, embedding) : null
		},
		bold: { main: boldCharacters ? await embedFace(doc, bold, boldCharacters, embedding) : null, rare: null }
	};

	const writer = new PageWriter(doc, fonts, plan);
	writeAgreement(writer, agreement, await signersWithImages(doc, agreement), bold.font);
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
