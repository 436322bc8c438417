import fontkit, { type Font } from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import type { AgreementBlock } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import { rareCharactersFont, subsetFace, subsetName, textFont, titleFont, type FontFace } from './agreement-fonts.ts';
import { breakLines } from './break-lines.ts';
import { FontPlan, type FontChoice } from './font-runs.ts';

// What every printed document shares: the page, the type, and the writer that sets text down the pages.

/** How the fonts go into the file: cut to the characters used, or whole (the benchmark's reference). */
export type FontEmbedding = 'subset' | 'full';

/** A4 in points, and the margins no text crosses. */
export const PAGE = { width: 595.28, height: 841.89, marginX: 64, marginTop: 72, marginBottom: 72 };
export const FOOTER_Y = 40;
export const TEXT_WIDTH = PAGE.width - 2 * PAGE.marginX;
export const SIZE = { title: 20, heading: 13, body: 11.5, small: 9.5, footer: 9 };
export const LEADING = 1.7;
export const INK = rgb(0.1, 0.1, 0.1);
export const FAINT = rgb(0.55, 0.55, 0.55);

export type Style = 'regular' | 'bold';
export type Fonts = Record<Style, Record<FontChoice, PDFFont | null>>;

/** Places text and images down the pages, starting a page when the next piece does not fit. */
export class PageWriter {
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

/** The title (a first-level heading), centred in the bold face. */
export function writeTitle(writer: PageWriter, text: string): void {
	writer.ensure(SIZE.title * 1.3 + SIZE.body * LEADING * 3);
	for (const line of writer.lines(text, SIZE.title, TEXT_WIDTH, 'bold')) {
		writer.y -= SIZE.title * 1.3;
		writer.drawLine(line, (PAGE.width - writer.width(line, SIZE.title, 'bold')) / 2, SIZE.title, INK, 'bold');
	}
	writer.space(SIZE.title * 0.6);
}

export function writeHeading(writer: PageWriter, text: string): void {
	writer.space(SIZE.heading * 0.6);
	// A heading never ends a page: it stays with what follows, which keeps up to three lines together.
	writer.ensure(SIZE.heading * LEADING + SIZE.body * LEADING * 3);
	for (const line of text.split('\n')) writer.paragraph(line, { size: SIZE.heading, style: 'bold' });
}

/** A paragraph or clause; a clause's number hangs before its text, a continuation under it. */
export function writeParagraph(writer: PageWriter, block: AgreementBlock): void {
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

/** What is set in a document, and which of it in the bold face: the fonts are cut to these characters. */
export type Typeset = { text: string; boldText: string; embedding?: FontEmbedding };

/**
 * The fonts embedded in `doc` for the characters of `typeset` (the text face, the bold face for
 * the bold text, the rare-characters face for what the text face lacks), and a writer that sets
 * text with them; `replaced` names the characters no font has, drawn as 〓.
 */
export async function typesetFor(doc: PDFDocument, typeset: Typeset) {
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
	plan.runs(typeset.text);
	plan.freeze();
	doc.registerFontkit(fontkit);
	const embedding = typeset.embedding ?? 'subset';
	const rareCharacters = plan.characters('rare');
	const boldCharacters = plan
		.runs(typeset.boldText)
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
	return {
		/** The bold face itself, for what is drawn outside the writer (the seal's lettering). */
		boldFace: bold.font as Font,
		writer: () => new PageWriter(doc, fonts, plan),
		replaced: () => plan.replaced()
	};
}

/** The document's properties: what it is, whose, and the day it is dated. */
export function describePdf(doc: PDFDocument, properties: { title: string; author: string; date: Date }): void {
	doc.setTitle(properties.title);
	doc.setAuthor(properties.author);
	doc.setCreator('Tiaojie');
	doc.setProducer('Tiaojie (pdf-lib)');
	doc.setCreationDate(properties.date);
	doc.setModificationDate(properties.date);
}

/** A centred line at the foot of each of `pages`, in faint ink: its page number. */
export function footPages(writer: PageWriter, pages: PDFPage[], label: (index: number) => string): void {
	pages.forEach((page, index) => {
		const text = label(index);
		writer.page = page;
		writer.y = FOOTER_Y;
		writer.drawLine(text, (PAGE.width - writer.width(text, SIZE.footer)) / 2, SIZE.footer, FAINT);
	});
}
