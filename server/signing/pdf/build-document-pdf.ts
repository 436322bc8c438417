import type { Font } from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, type PDFImage, type PDFPage } from 'pdf-lib';
import { AppError } from '#shared/errors.ts';
import { parseInput } from '../../parse-input.ts';
import { documentLabels, type DocumentLabels } from './document-labels.ts';
import { documentPdfInputSchema, type DocumentPdf, type DocumentPdfInput } from './document-pdf-input.ts';
import { drawQrCode } from './draw-qr-code.ts';
import { drawSeal } from './draw-seal.ts';
import {
	describePdf,
	footPages,
	INK,
	LEADING,
	PAGE,
	PageWriter,
	SIZE,
	TEXT_WIDTH,
	typesetFor,
	writeHeading,
	writeParagraph,
	writeTitle,
	type FontEmbedding
} from './page-writer.ts';

export type BuiltDocumentPdf = {
	pdf: Uint8Array;
	pages: number;
	/** Characters no installed font has, drawn as 〓, each once. */
	replacedCharacters: string[];
};

const SIGNATURE_BOX = { width: 130, height: 46 };
const QR_SIZE = 110;
/** The seal's radius: 4 cm across, as a committee's seal is. */
const SEAL_RADIUS = 56.7;

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
		dates.format(datedOn(agreement)),
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

/** What is set in the bold face: the headings, the title among them. */
const boldText = (agreement: DocumentPdf) =>
	agreement.blocks
		.filter((block) => block.heading !== undefined)
		.map((block) => block.text)
		.join('');

/**
 * The document's appendices bound in page by page, as the case file binds sealed documents: their
 * print without their form fields (a sealed PDF's signature field belongs to its own file and
 * would read here as a broken signature). Returns the pages added.
 */
async function appendPdfs(doc: PDFDocument, document: DocumentPdf): Promise<Set<PDFPage>> {
	const added = new Set<PDFPage>();
	for (const [index, appendix] of document.appendices.entries()) {
		let pages: PDFPage[];
		try {
			const source = await PDFDocument.load(appendix.pdf, { updateMetadata: false });
			pages = await doc.copyPages(source, source.getPageIndices());
		} catch (error) {
			throw new AppError('VALIDATION', { fields: { [`appendices.${index}.pdf`]: ['file_type'] }, cause: error });
		}
		for (const page of pages) {
			page.node.delete(PDFName.of('Annots'));
			doc.addPage(page);
			added.add(page);
		}
	}
	return added;
}

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
	const doc = await PDFDocument.create({ updateMetadata: false });
	describePdf(doc, {
		title: `${agreement.title} ${agreement.caseNumber}`,
		author: agreement.committee,
		date: datedOn(agreement)
	});
	const typeset = await typesetFor(doc, {
		text: allText(agreement, labels),
		boldText: boldText(agreement),
		embedding: options.embedding
	});
	const writer = typeset.writer();
	writeAgreement(writer, agreement, await signersWithImages(doc, agreement), typeset.boldFace);
	const appended = await appendPdfs(doc, agreement);
	writeCertificate(writer, agreement, labels);

	const pages = doc.getPages();
	// Bound-in pages keep their own footers; the document's own pages are numbered in the whole.
	const own = pages.filter((page) => !appended.has(page));
	footPages(writer, own, (index) => labels.page(pages.indexOf(own[index]) + 1, pages.length));
	const pdf = await doc.save({ useObjectStreams: false });
	return { pdf, pages: pages.length, replacedCharacters: typeset.replaced() };
}
