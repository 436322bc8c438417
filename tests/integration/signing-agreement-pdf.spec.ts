import { PDFDocument } from 'pdf-lib';
import { DEFAULT_AGREEMENT_TEMPLATE } from '#server/agreements/default-template.ts';
import { fillTemplate } from '#server/agreements/fill-template.ts';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { buildDocumentPdf } from '#server/signing/pdf/build-document-pdf.ts';
import { PAGE } from '#server/signing/pdf/page-writer.ts';
import { createSealKey } from '#server/signing/seal-keys/create-seal-key.ts';
import { sealDocument } from '#server/signing/seal-document.ts';
import { CLOSING_PUNCTUATION, OPENING_PUNCTUATION } from '#server/signing/pdf/break-lines.ts';
import { drawQrCode } from '#server/signing/pdf/draw-qr-code.ts';
import { REPLACEMENT_CHARACTER } from '#server/signing/pdf/font-runs.ts';
import {
	inkPerPage,
	pdffonts,
	pdfinfoPages,
	pdftotext,
	pdfWords,
	popplerWarnings,
	redPoints,
	renderGrey,
	type Word
} from '../support/poppler.ts';
import {
	agreementDocument,
	agreementInput,
	agreementText,
	documentInput,
	heading,
	paragraph,
	SEAL_PASSPHRASE,
	withParagraphs
} from '../support/signing-samples.ts';

const FOOTER = /^(第\s*\d+\s*页\s*\/\s*共\s*\d+\s*页|Page \d+ of \d+)$/;
const squeeze = (text: string) => text.replace(/\s+/g, '');
/** The extracted text without page footers, line by line. */
const textLines = (text: string) =>
	text
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !FOOTER.test(line));

/** Lines of the layout text (what stands side by side on a line kept together), spaces collapsed. */
const layoutLines = (text: string) => textLines(text).map((line) => line.replace(/\s+/g, ' '));

/** A long agreement: `sections` headings, each with paragraphs long enough to wrap several times. */
function longAgreement(sections: number) {
	const long = (n: number) =>
		`第${n}项：经查明，双方于2026年${(n % 12) + 1}月就宅基地边界、排水沟走向及院墙高度发生争议，“相邻关系”应当按照有利生产、方便生活、团结互助、公平合理的原则处理（参见《民法典》第二百八十八条）。当事人同意由调解委员会组织现场勘查，勘查结果作为本协议的附件，各方对此无异议。`;
	const blocks = [];
	for (let section = 1; section <= sections; section++) {
		blocks.push(heading(3, `${section}、事项说明`));
		for (let n = 1; n <= 4; n++) blocks.push(paragraph(long(section * 10 + n)));
	}
	return { text: agreementText(blocks), input: agreementInput(withParagraphs(blocks)) };
}

/**
 * Every page A4 with its footer, and every other word inside the margins (the last baseline sits
 * on the bottom margin; descenders may dip below it). The words, for further checks.
 */
async function expectInsideMargins(pdf: Uint8Array, pages: number): Promise<Word[]> {
	const { pages: sizes, words } = await pdfWords(pdf);
	expect(sizes).toHaveLength(pages);
	for (const size of sizes) expect(size).toEqual({ width: PAGE.width, height: PAGE.height });
	for (let page = 1; page <= pages; page++) {
		const onPage = words.filter((word) => word.page === page);
		const footer = onPage.filter((word) => word.yMin > PAGE.height - PAGE.marginBottom);
		expect(footer.map((word) => word.text).join(' ')).toBe(`第 ${page} 页 / 共 ${pages} 页`);
		for (const word of onPage.filter((word) => !footer.includes(word))) {
			expect(word.xMin, word.text).toBeGreaterThanOrEqual(PAGE.marginX - 0.5);
			expect(word.xMax, word.text).toBeLessThanOrEqual(PAGE.width - PAGE.marginX + 0.5);
			expect(word.yMin, word.text).toBeGreaterThanOrEqual(PAGE.marginTop - 0.5);
			expect(word.yMax, word.text).toBeLessThanOrEqual(PAGE.height - PAGE.marginBottom + 5);
		}
	}
	return words;
}

describe('the agreement PDF', () => {
	it('embeds the fonts as subsets and gives the text back unchanged, digits and Latin included', async () => {
		const input = agreementInput();
		const { pdf, pages, replacedCharacters } = await buildDocumentPdf(input);
		expect(replacedCharacters).toEqual([]);
		expect(pages).toBe(await pdfinfoPages(pdf));

		const fonts = await pdffonts(pdf);
		expect(fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
			'NotoSerifSC-Bold',
			'NotoSerifSC-Regular'
		]);
		for (const font of fonts) {
			// TrueType outlines, declared as such (CIDFontType2 with FontFile2).
			expect(font).toMatchObject({ type: 'CID TrueType', embedded: true, subset: true, unicode: true });
			expect(font.name).toMatch(/^[A-Z]{6}\+/);
		}

		const text = await pdftotext(pdf);
		const [title, ...rest] = agreementText().trimEnd().split('\n');
		const extracted = squeeze(textLines(text).join(''));
		expect(extracted.startsWith(title)).toBe(true);
		// Up to the signature lines, which the signatures' dates follow.
		expect(extracted).toContain(squeeze(rest.slice(0, rest.indexOf('申请人（签名）：')).join('')));
		// Word spaces survive where the layout puts them.
		expect(text.replace(/\s+/g, ' ')).toContain('Version 2.1, see https://example.org/terms');
		expect(text).toContain('2026-QSZ-000123');
	});

	it('leaves fonts that pdffonts, pdftotext and pdfsig read without a warning', async () => {
		const seal = createSealKey({ organisation: '青山镇人民调解委员会', passphrase: SEAL_PASSPHRASE });
		const { pdf } = await sealDocument(agreementInput(withParagraphs(['祖宅所在地名为𠀀村。'])), seal);
		expect(await popplerWarnings(pdf)).toEqual({ pdffonts: '', pdftotext: '', pdfsig: '' });
	});

	it('prints the document once, as its template has it: one header, no second list of parties', async () => {
		const input = agreementInput();
		const { pdf } = await buildDocumentPdf(input);
		const first = textLines(await pdftotext(pdf, { page: 1 }));
		expect(first.slice(0, 3)).toEqual(['人民调解协议书', '编号：2026-QSZ-000123', '当事人']);
		const all = textLines(await pdftotext(pdf));
		for (const once of ['人民调解协议书', '当事人', '被申请人：李四，男，1968年2月出生，住青山镇东村3组。'])
			expect(all.filter((line) => line === once)).toHaveLength(1);
		expect(all.join('\n')).not.toMatch(/案号|调解组织：/);
	});

	it('sets headings from the document: the title and headings bold and larger, a paragraph that looks short stays body text', async () => {
		const { pdf } = await buildDocumentPdf(agreementInput());
		const { words } = await pdfWords(pdf);
		const height = (text: string) => {
			const word = words.find((candidate) => candidate.text === text);
			expect(word, text).toBeDefined();
			return word!.yMax - word!.yMin;
		};
		const body = height('编号：2026-QSZ-000123');
		expect(height('人民调解协议书')).toBeGreaterThan(body * 1.5);
		expect(height('经调解，自愿达成如下协议')).toBeGreaterThan(body * 1.05);
		expect(height('青山镇人民调解委员会（印章）')).toBeCloseTo(body, 0);
		expect(height('2026年11月29日')).toBeCloseTo(body, 0);
	});

	it('signs on the template’s signature lines, each with its date, and seals over the committee and the date', async () => {
		const input = agreementInput();
		const { pdf, pages } = await buildDocumentPdf(input);
		const lines = layoutLines(await pdftotext(pdf, { layout: true }));
		expect(lines.filter((line) => line.includes('（签名）'))).toEqual([
			'申请人（签名）： 2026年11月29日',
			'被申请人（签名）： 2026年11月29日',
			'人民调解员（签名）： 2026年11月29日'
		]);
		expect(lines.filter((line) => line.endsWith('（印章）'))).toEqual(['青山镇人民调解委员会（印章）']);
		expect(lines.filter((line) => line === '2026年11月29日')).toHaveLength(1);

		// The seal: red, round, about 4 cm across, over the committee's name and the date.
		const { words } = await pdfWords(pdf);
		const name = words.find((word) => word.text === '青山镇人民调解委员会（印章）')!;
		const date = words.find(
			(word) => word.page === name.page && word.text === '2026年11月29日' && word.yMin > name.yMax
		)!;
		const red = await redPoints(pdf, name.page);
		expect(red.length).toBeGreaterThan(500);
		const [xs, ys] = [red.map((point) => point.x), red.map((point) => point.y)];
		const box = { xMin: Math.min(...xs), xMax: Math.max(...xs), yMin: Math.min(...ys), yMax: Math.max(...ys) };
		expect(box.xMax - box.xMin).toBeGreaterThan(100);
		expect(box.xMax - box.xMin).toBeLessThan(125);
		expect(box.yMax - box.yMin).toBeCloseTo(box.xMax - box.xMin, -1);
		for (const word of [name, date]) {
			expect(box.xMin).toBeLessThan(word.xMax);
			expect(box.xMax).toBeGreaterThan(word.xMin);
			expect(box.yMin).toBeLessThan(word.yMin);
			expect(box.yMax).toBeGreaterThan(word.yMax);
		}
		// Nowhere else: the other pages have no seal drawn.
		for (let page = 1; page <= pages; page++) if (page !== name.page) expect(await redPoints(pdf, page)).toEqual([]);
	});

	it('adds a line for a signer the document has none for, and seals at the end of a document without a seal line', async () => {
		const doc = agreementDocument();
		doc.content = doc.content!.filter(
			(block) => !/（(签名|印章)）|^2026年11月29日$/.test(block.content?.[0]?.text ?? '')
		);
		const [applicant, respondent, mediator] = agreementInput().signers;
		const expert = { ...mediator, name: '赵六', role: '法律顾问', signedAt: new Date('2026-11-30T02:00:00Z') };
		const { pdf, pages } = await buildDocumentPdf(
			agreementInput({ ...documentInput(doc), signers: [applicant, respondent, mediator, expert] })
		);
		const lines = layoutLines(await pdftotext(pdf, { layout: true }));
		const from = lines.indexOf('申请人（签名）： 2026年11月29日');
		expect(lines.slice(from, from + 6)).toEqual([
			'申请人（签名）： 2026年11月29日',
			'被申请人（签名）： 2026年11月29日',
			'人民调解员（签名）： 2026年11月29日',
			'法律顾问（签名）： 2026年11月30日',
			'青山镇人民调解委员会',
			'2026年11月30日'
		]);
		const { words } = await pdfWords(pdf);
		const name = words.find((word) => word.text === '青山镇人民调解委员会')!;
		expect(name.page).toBeLessThan(pages);
		expect((await redPoints(pdf, name.page)).length).toBeGreaterThan(500);
	});

	it('prints the certificate page last, with every signer', async () => {
		const input = agreementInput();
		const { pdf, pages } = await buildDocumentPdf(input);
		const first = await pdftotext(pdf, { page: 1 });
		expect(squeeze(first)).toContain(`第1页/共${pages}页`);

		const certificate = (await pdftotext(pdf, { page: pages })).replace(/\s+/g, ' ');
		expect(certificate).toContain('签署证书');
		for (const signer of input.signers) {
			expect(certificate).toContain(signer.ip);
			expect(certificate).toContain(`${signer.name}（${signer.role}）`);
		}
		expect(certificate).toContain('签署时间：2026-11-29 10:10:00 (Asia/Shanghai)');
		expect(certificate).toContain('设备：微信 / iOS');
		expect(certificate).toContain(input.textSha256);
		expect(squeeze(certificate)).toContain(input.verificationUrl);
		expect(squeeze(certificate)).toContain(`第${pages}页/共${pages}页`);
	});

	it('prints English labels for an English agreement', async () => {
		const { pdf, pages } = await buildDocumentPdf(agreementInput({ language: 'en' }));
		expect(layoutLines(await pdftotext(pdf, { layout: true }))).toContain('申请人（签名）： 29 November 2026');
		const text = (await pdftotext(pdf)).replace(/\s+/g, ' ');
		expect(text).toContain('Signing certificate');
		expect(text).toContain(`Page ${pages} of ${pages}`);
	});

	it('renders the subset with the same ink as the full font, page by page, within 1%', async () => {
		const input = agreementInput();
		const subset = await buildDocumentPdf(input);
		const full = await buildDocumentPdf(input, { embedding: 'full' });
		expect((await pdffonts(full.pdf))[0]).toMatchObject({ embedded: true, subset: false });
		expect(full.pdf.byteLength).toBeGreaterThan(subset.pdf.byteLength * 20);
		const [subsetInk, fullInk] = await Promise.all([inkPerPage(subset.pdf), inkPerPage(full.pdf)]);
		expect(subsetInk).toHaveLength(fullInk.length);
		subsetInk.forEach((ink, page) => {
			expect(ink).toBeGreaterThan(1000);
			expect(Math.abs(ink - fullInk[page]) / fullInk[page]).toBeLessThan(0.01);
		});
		// The whole faces, two of 15 MB, take their time to embed and to render.
	}, 120_000);

	it('draws rare characters with the fallback font and replaces, visibly and reported, those no font has', async () => {
		const { pdf, replacedCharacters } = await buildDocumentPdf(
			agreementInput(withParagraphs(['祖宅所在地名为𠀀村，户主姓𪚥，签字时附😀表情。']))
		);
		expect(replacedCharacters).toEqual(['😀']);
		const fonts = await pdffonts(pdf);
		expect(fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
			'HanaMinB',
			'NotoSerifSC-Bold',
			'NotoSerifSC-Regular'
		]);
		for (const font of fonts) expect(font).toMatchObject({ embedded: true, subset: true, unicode: true });
		expect(squeeze(await pdftotext(pdf))).toContain(
			`祖宅所在地名为𠀀村，户主姓𪚥，签字时附${REPLACEMENT_CHARACTER}表情。`
		);
	});

	it('paginates a long agreement cleanly: numbered pages, text inside the margins, no heading left at a page bottom', async () => {
		const { text, input } = longAgreement(16);
		const { pdf, pages } = await buildDocumentPdf(input);
		expect(pages).toBeGreaterThanOrEqual(10);
		expect(await pdfinfoPages(pdf)).toBe(pages);

		const headings = new Set(input.blocks.filter((block) => block.heading).map((block) => block.text));
		expect(headings.size).toBeGreaterThan(14);
		const words = await expectInsideMargins(pdf, pages);
		for (let page = 1; page <= pages; page++) {
			const body = words.filter((word) => word.page === page && word.yMin <= PAGE.height - PAGE.marginBottom);
			const lastLine = body.sort((a, b) => b.yMin - a.yMin)[0];
			expect(headings.has(lastLine.text), `page ${page} ends with the heading ${lastLine.text}`).toBe(false);
		}
		const extracted = squeeze(textLines(await pdftotext(pdf)).join(''));
		const lines = text.split('\n');
		expect(extracted).toContain(squeeze(lines.slice(1, lines.indexOf('申请人（签名）：')).join('')));
	});

	it('prints the built-in template, filled, with no heading left at a page bottom', async () => {
		const doc = fillTemplate(DEFAULT_AGREEMENT_TEMPLATE, {
			'case.number': '2026-QSZ-000001',
			applicants: '申请人：李秀英，联系电话：13800138000，住址：东村12号',
			respondents: '被申请人：王建国',
			facts: '事实',
			claims: '请求',
			amount: '无',
			'village.name': '东村',
			'committee.name': '东村人民调解委员会',
			mediators: '王五',
			copies: '三',
			date: '2026年12月6日'
		});
		const input = agreementInput({ ...documentInput(doc), committee: '东村人民调解委员会' });
		const { pdf, pages } = await buildDocumentPdf(input);
		const headings = new Set(input.blocks.filter((block) => block.heading).map((block) => block.text));
		const words = await expectInsideMargins(pdf, pages);
		for (let page = 1; page <= pages; page++) {
			const body = words.filter((word) => word.page === page && word.yMin <= PAGE.height - PAGE.marginBottom);
			const lastLine = body.sort((a, b) => b.yMin - a.yMin)[0];
			expect(headings.has(lastLine.text), `page ${page} ends with the heading ${lastLine.text}`).toBe(false);
		}
		expect(layoutLines(await pdftotext(pdf, { layout: true }))).toContain('东村人民调解委员会（印章）');
	});

	it('keeps the longest title, names and twenty signers inside the margins', async () => {
		const long = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
		const [signer] = agreementInput().signers;
		const signers = Array.from({ length: 20 }, (_, index) => ({
			...signer,
			name: `${index + 1}号${long('欧阳诸葛司马', 97)}`,
			role: long('委托代理人', 40),
			device: long('三星浏览器 / Android ', 60)
		}));
		const title = long('关于宅基地边界及排水沟纠纷的人民调解协议书', 100);
		const committee = long('青山镇人民调解委员会第一调解室', 100);
		const doc = agreementDocument(Array.from({ length: 50 }, (_, index) => `${long('张', 98)}${index}`));
		doc.content = [heading(1, title), ...doc.content!.slice(1, -2), paragraph(`${committee}（印章）`)];
		const input = agreementInput({ title, committee, ...documentInput(doc), signers });
		const { pdf, pages } = await buildDocumentPdf(input);
		await expectInsideMargins(pdf, pages);
		const text = squeeze(await pdftotext(pdf));
		for (const { name } of signers) expect(text).toContain(name);
	});

	it('draws the QR code of the verification link module by module', async () => {
		const url = 'https://tiaojie.example.org/verify?sha256=' + 'ab'.repeat(32);
		const doc = await PDFDocument.create();
		const page = doc.addPage([200, 200]);
		// 0.5 inch a module at 72 dpi: 36 points, placed from the top-left corner of the page.
		const modules = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules;
		const size = (modules.size + 8) * 4;
		drawQrCode(page, url, { x: 0, top: 200, size });
		const image = await renderGrey(await doc.save(), 72);
		for (let row = 0; row < modules.size; row++) {
			for (let column = 0; column < modules.size; column++) {
				const centre = (4 + row) * 4 + 2;
				const pixel = image.pixel((4 + column) * 4 + 2, centre);
				expect(pixel < 128, `module ${row},${column}`).toBe(Boolean(modules.get(row, column)));
			}
		}
	});

	it('breaks lines by the Chinese rules: no line starts with closing or ends with opening punctuation', async () => {
		const { pdf } = await buildDocumentPdf(longAgreement(3).input);
		const lines = textLines(await pdftotext(pdf));
		expect(lines.length).toBeGreaterThan(40);
		for (const line of lines) {
			expect(CLOSING_PUNCTUATION.includes(line[0]), `line starts with closing punctuation: ${line}`).toBe(false);
			expect(OPENING_PUNCTUATION.includes(line.at(-1) ?? ''), `line ends with opening punctuation: ${line}`).toBe(
				false
			);
		}
	});

	it('refuses bad input with field codes', async () => {
		await expect(buildDocumentPdf(agreementInput({ textSha256: 'abc' }))).rejects.toMatchObject({
			code: 'VALIDATION',
			fields: { textSha256: expect.any(Array) }
		});
		const [signer] = agreementInput().signers;
		const notPng = { ...signer, signature: new TextEncoder().encode('<svg/>') };
		await expect(buildDocumentPdf(agreementInput({ signers: [notPng] }))).rejects.toMatchObject({
			code: 'VALIDATION',
			fields: { 'signers.0.signature': ['file_type'] }
		});
		const brokenPng = { ...signer, signature: signer.signature.slice(0, 40) };
		await expect(buildDocumentPdf(agreementInput({ signers: [brokenPng] }))).rejects.toMatchObject({
			code: 'VALIDATION',
			fields: { 'signers.0.signature': ['file_type'] }
		});
		await expect(buildDocumentPdf(agreementInput({ verificationUrl: 'javascript:alert(1)' }))).rejects.toMatchObject({
			code: 'VALIDATION'
		});
		await expect(buildDocumentPdf({ ...agreementInput(), timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
			code: 'VALIDATION'
		});
	});
});
