import type { Font } from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, type PDFPage } from 'pdf-lib';
import sharp from 'sharp';
import { parseInput } from '../../parse-input.ts';
import { drawQrCode } from './draw-qr-code.ts';
import { drawSeal } from './draw-seal.ts';
import { dossierPdfInputSchema, type DossierPart, type DossierPdf, type DossierPdfInput } from './dossier-pdf-input.ts';
import {
	describePdf,
	FAINT,
	INK,
	LEADING,
	PAGE,
	SIZE,
	TEXT_WIDTH,
	typesetFor,
	writeHeading,
	writeParagraph,
	writeTitle,
	type FontEmbedding,
	type PageWriter
} from './page-writer.ts';

/** Where each document of the file starts and ends, by the file's own page numbers (页号). */
export type DossierContents = { title: string; firstPage: number; lastPage: number }[];

export type BuiltDossierPdf = {
	pdf: Uint8Array;
	/** Pages in the file, cover, contents and back cover included. */
	pages: number;
	contents: DossierContents;
	replacedCharacters: string[];
};

/** The case file is kept in Chinese, as the committee's records are. */
const LABELS = {
	cover: '人民调解卷宗',
	fields: {
		title: '卷　　名',
		fileNumber: '卷　　号',
		caseNumber: '案件编号',
		mediators: '调 解 员',
		dates: '起止日期',
		filedBy: '立 卷 人',
		filedAt: '立卷日期',
		retention: '保管期限'
	},
	unfiled: '（尚未立卷编号）',
	contents: '卷内目录',
	columns: { index: '序号', title: '文书名称', pages: '页号' },
	back: '卷内备考表',
	backSummary: (documents: number, pages: number) =>
		`本卷共有文件材料 ${documents} 件，共 ${pages} 页（封面、卷内目录和本表不计页号）。`,
	backSealed: '本卷由调解组织以电子方式立卷，并加盖电子印章；卷内各文书的电子印章另可单独验证。',
	checkedBy: '检 查 人：',
	verification: '扫码或访问以下地址验证本卷宗',
	photoUnreadable: '（此照片无法显示，原件见证据清单）',
	pdfUnreadable: '（此 PDF 无法装订，原件见证据清单）',
	range: (first: number, last: number) => (first === last ? `${first}` : `${first}–${last}`),
	to: ' 至 '
};

/** Photos are printed at this resolution: sharp enough on paper, a fraction of a camera's file. */
const PRINT_DPI = 150;
const PHOTO_BOX = { width: TEXT_WIDTH, height: PAGE.height - PAGE.marginTop - PAGE.marginBottom - 90 };
const QR_SIZE = 96;
const SEAL_RADIUS = 56.7;
const CONTENTS_ROW = SIZE.body * LEADING + 4;
const COLUMN = { index: 44, pages: 72 };

const longDate = (timeZone: string) =>
	new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: 'long', day: 'numeric' });

/**
 * How photos go into the file: scaled to print inside the photo box (the project's way), or as
 * taken, every pixel kept (the benchmark's reference).
 */
export type PhotoEmbedding = 'print' | 'original';

/** A photo turned upright as a JPEG, scaled for print unless kept `original`; null when it cannot be read. */
async function photoForPrint(image: Uint8Array, embedding: PhotoEmbedding): Promise<Uint8Array | null> {
	const pixels = (points: number) => Math.round((points / 72) * PRINT_DPI);
	try {
		const upright = sharp(image, { limitInputPixels: 80_000_000, failOn: 'error' }).rotate();
		const isJpeg = image[0] === 0xff && image[1] === 0xd8;
		if (embedding === 'original') return isJpeg ? image : await upright.jpeg({ quality: 95 }).toBuffer();
		return await upright
			.resize({
				width: pixels(PHOTO_BOX.width),
				height: pixels(PHOTO_BOX.height),
				fit: 'inside',
				withoutEnlargement: true
			})
			.flatten({ background: '#ffffff' })
			.jpeg({ quality: 75 })
			.toBuffer();
	} catch {
		return null;
	}
}

/** Everything the binder sets in its own type, so that the fonts are cut to it. */
function allText(dossier: DossierPdf): string {
	const dates = longDate(dossier.timeZone);
	return [
		Object.values(LABELS).filter((label) => typeof label === 'string'),
		Object.values(LABELS.fields),
		Object.values(LABELS.columns),
		LABELS.backSummary(0, 0),
		'0123456789–：，。、（）…',
		dossier.fileNumber,
		dossier.title,
		dossier.caseNumber,
		dossier.committee,
		dossier.mediators,
		[dossier.firstDocumentAt, dossier.lastDocumentAt, dossier.filedAt].map((date) => dates.format(date)),
		dossier.filedBy,
		dossier.retention,
		dossier.verificationUrl,
		dossier.parts.flatMap((part) => [
			part.title,
			part.type === 'text' ? part.blocks.flatMap((block) => [block.prefix, block.text]) : [],
			part.type === 'photos' ? part.photos.map((photo) => photo.caption) : []
		])
	]
		.flat(2)
		.join(' ')
		.replace(/[\r\n\t]/g, ' ');
}

function writeCover(writer: PageWriter, dossier: DossierPdf): void {
	const dates = longDate(dossier.timeZone);
	writer.space(SIZE.heading * 2);
	const committee = dossier.committee;
	writer.y -= SIZE.heading * LEADING;
	writer.drawLine(committee, (PAGE.width - writer.width(committee, SIZE.heading)) / 2, SIZE.heading);
	writer.space(SIZE.title * 2);
	const size = SIZE.title * 1.6;
	writer.y -= size * 1.3;
	writer.drawLine(LABELS.cover, (PAGE.width - writer.width(LABELS.cover, size, 'bold')) / 2, size, INK, 'bold');
	writer.space(SIZE.title * 3);
	const fields: [string, string][] = [
		[LABELS.fields.title, dossier.title],
		[LABELS.fields.fileNumber, dossier.fileNumber || LABELS.unfiled],
		[LABELS.fields.caseNumber, dossier.caseNumber],
		[LABELS.fields.mediators, dossier.mediators.join('、') || '—'],
		[LABELS.fields.dates, dates.format(dossier.firstDocumentAt) + LABELS.to + dates.format(dossier.lastDocumentAt)],
		[LABELS.fields.filedBy, dossier.filedBy],
		[LABELS.fields.filedAt, dates.format(dossier.filedAt)],
		[LABELS.fields.retention, dossier.retention]
	];
	for (const [label, value] of fields) {
		writer.paragraph(value, { size: SIZE.heading, lead: `${label}：`, indent: 24 });
		writer.page.drawLine({
			start: { x: PAGE.marginX + 24 + writer.width(`${label}：`, SIZE.heading), y: writer.y - 4 },
			end: { x: PAGE.width - PAGE.marginX, y: writer.y - 4 },
			thickness: 0.5,
			color: INK
		});
		writer.space(SIZE.heading * 0.9);
	}
}

/** A document of the file on pages of its own: its text, its pages bound in, or its photos one to a page. */
async function writePart(
	doc: PDFDocument,
	writer: PageWriter,
	part: DossierPart,
	photos: PhotoEmbedding
): Promise<void> {
	if (part.type === 'pdf') {
		let pages: PDFPage[];
		try {
			const source = await PDFDocument.load(part.pdf, { updateMetadata: false });
			pages = await doc.copyPages(source, source.getPageIndices());
		} catch {
			writer.newPage();
			writeTitle(writer, part.title);
			writer.paragraph(LABELS.pdfUnreadable, { size: SIZE.body });
			return;
		}
		for (const page of pages) {
			// A bound-in page keeps its print, not its form fields: its seal's signature field belongs to
			// its own file, and here would read as a broken signature of the binder.
			page.node.delete(PDFName.of('Annots'));
			doc.addPage(page);
		}
		return;
	}
	writer.newPage();
	writeTitle(writer, part.title);
	if (part.type === 'text') {
		for (const block of part.blocks) {
			if (block.heading === 1) continue;
			if (block.heading) writeHeading(writer, block.text);
			else writeParagraph(writer, block);
		}
		return;
	}
	for (const [index, photo] of part.photos.entries()) {
		if (index > 0) writer.newPage();
		writer.paragraph(photo.caption, { size: SIZE.small, color: FAINT });
		const printed = await photoForPrint(photo.image, photos);
		if (!printed) {
			writer.paragraph(LABELS.photoUnreadable, { size: SIZE.body });
			continue;
		}
		const image = await doc.embedJpg(printed);
		// Its print size at PRINT_DPI, or smaller to fit the box.
		const scale = Math.min(PHOTO_BOX.width / image.width, PHOTO_BOX.height / image.height, 72 / PRINT_DPI);
		const size = { width: image.width * scale, height: image.height * scale };
		writer.space(8);
		writer.y -= size.height;
		writer.image(image, PAGE.marginX, size);
	}
}

/** The contents (卷内目录): one row per document, its number, title and pages. */
function writeContents(writer: PageWriter, contents: DossierContents): void {
	writeTitle(writer, LABELS.contents);
	const titleX = PAGE.marginX + COLUMN.index;
	const pagesX = PAGE.width - PAGE.marginX - COLUMN.pages;
	const rule = () =>
		writer.page.drawLine({
			start: { x: PAGE.marginX, y: writer.y - 6 },
			end: { x: PAGE.width - PAGE.marginX, y: writer.y - 6 },
			thickness: 0.5,
			color: INK
		});
	const row = (index: string, title: string, pages: string, style: 'regular' | 'bold' = 'regular') => {
		// A long title is cut to the column, whole words of it kept: the row stays one line.
		let shown = title;
		while (writer.width(shown, SIZE.body, style) > pagesX - titleX - 8 && shown.length > 1)
			shown = `${shown.slice(0, -2)}…`;
		writer.ensure(CONTENTS_ROW);
		writer.y -= CONTENTS_ROW;
		writer.drawLine(index, PAGE.marginX + 4, SIZE.body, INK, style);
		writer.drawLine(shown, titleX, SIZE.body, INK, style);
		writer.drawLine(pages, pagesX + 4, SIZE.body, INK, style);
		rule();
	};
	row(LABELS.columns.index, LABELS.columns.title, LABELS.columns.pages, 'bold');
	contents.forEach((entry, index) =>
		row(String(index + 1), entry.title, LABELS.range(entry.firstPage, entry.lastPage))
	);
}

function writeBackCover(writer: PageWriter, dossier: DossierPdf, contents: DossierContents, sealFont: Font) {
	const dates = longDate(dossier.timeZone);
	const pages = contents.at(-1)?.lastPage ?? 0;
	writeTitle(writer, LABELS.back);
	writer.paragraph(LABELS.backSummary(contents.length, pages), { size: SIZE.body });
	writer.space(SIZE.body);
	writer.paragraph(LABELS.backSealed, { size: SIZE.body });
	writer.space(SIZE.body * 2);
	writer.paragraph(dossier.filedBy, { size: SIZE.body, lead: `${LABELS.fields.filedBy}：` });
	writer.paragraph('', { size: SIZE.body, lead: LABELS.checkedBy });
	writer.paragraph(dates.format(dossier.filedAt), { size: SIZE.body, lead: `${LABELS.fields.filedAt}：` });
	writer.space(SIZE.body * 3);
	const right = PAGE.width - PAGE.marginX - SIZE.body * 2;
	const top = writer.y;
	for (const line of [dossier.committee, dates.format(dossier.filedAt)]) {
		writer.y -= SIZE.body * LEADING;
		writer.drawLine(line, right - writer.width(line, SIZE.body), SIZE.body);
	}
	const widest = Math.max(
		writer.width(dossier.committee, SIZE.body),
		writer.width(dates.format(dossier.filedAt), SIZE.body)
	);
	drawSeal(writer.page, dossier.committee, sealFont, {
		x: Math.min(right - widest / 2, PAGE.width - PAGE.marginX - SEAL_RADIUS),
		y: (top + writer.y) / 2 + SIZE.body * 0.3,
		radius: SEAL_RADIUS
	});
	writer.space(SEAL_RADIUS + SIZE.body * 2);
	writer.ensure(SIZE.small * LEADING * 2 + QR_SIZE);
	writer.paragraph(LABELS.verification, { size: SIZE.small });
	writer.paragraph(dossier.verificationUrl, { size: SIZE.small });
	drawQrCode(writer.page, dossier.verificationUrl, { x: PAGE.marginX - 8, top: writer.y - 4, size: QR_SIZE });
}

/** The file's page number (页号) at the top right of each of its documents' pages, as an archivist stamps it. */
function stampPageNumbers(writer: PageWriter, pages: PDFPage[]): void {
	pages.forEach((page, index) => {
		const text = String(index + 1);
		const { width, height } = page.getSize();
		writer.page = page;
		writer.y = height - 30;
		writer.drawLine(text, width - 40 - writer.width(text, SIZE.body), SIZE.body);
	});
}

/**
 * The case file (卷宗) as one A4 PDF: its cover, the contents with each document's pages, the
 * documents in order (the app's own text set here, sealed documents and evidence PDFs bound in
 * page by page without their form fields, photos scaled for print one to a page), each of their
 * pages numbered at the top right, and the back cover with the committee's seal and the
 * verification link. The binder is sealed after as a whole.
 */
export async function buildDossierPdf(
	input: DossierPdfInput,
	options: { embedding?: FontEmbedding; photos?: PhotoEmbedding } = {}
): Promise<BuiltDossierPdf> {
	const dossier = parseInput(dossierPdfInputSchema, input);
	const doc = await PDFDocument.create({ updateMetadata: false });
	describePdf(doc, {
		title: `${LABELS.cover} ${dossier.fileNumber || dossier.caseNumber}`,
		author: dossier.committee,
		date: dossier.filedAt
	});
	const typeset = await typesetFor(doc, {
		text: allText(dossier),
		boldText: [
			LABELS.cover,
			LABELS.contents,
			LABELS.back,
			...Object.values(LABELS.columns),
			...dossier.parts.map((p) => p.title)
		].join(''),
		embedding: options.embedding
	});
	const writer = typeset.writer();
	writeCover(writer, dossier);

	const contents: DossierContents = [];
	for (const part of dossier.parts) {
		const before = doc.getPageCount();
		await writePart(doc, writer, part, options.photos ?? 'print');
		contents.push({ title: part.title, firstPage: before, lastPage: doc.getPageCount() - 1 });
	}
	const numbered = doc.getPages().slice(1);
	writer.newPage();
	writeBackCover(writer, dossier, contents, typeset.boldFace);

	// The contents go after the cover; written last, when every document's pages are known.
	const beforeContents = doc.getPageCount();
	writer.newPage();
	writeContents(writer, contents);
	const contentsPages = doc.getPages().slice(beforeContents);
	contentsPages.forEach((page, index) => {
		doc.removePage(beforeContents + index);
		doc.insertPage(1 + index, page);
	});
	stampPageNumbers(writer, numbered);

	const pdf = await doc.save({ useObjectStreams: false });
	return { pdf, pages: doc.getPageCount(), contents, replacedCharacters: typeset.replaced() };
}
