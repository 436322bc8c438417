import { PDFDocument } from 'pdf-lib';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { buildAgreementPdf, isHeadingLine, PAGE } from '#server/signing/build-agreement-pdf.ts';
import { CLOSING_PUNCTUATION, OPENING_PUNCTUATION } from '#server/signing/break-lines.ts';
import { drawQrCode } from '#server/signing/draw-qr-code.ts';
import { REPLACEMENT_CHARACTER } from '#server/signing/font-runs.ts';
import { inkPerPage, pdffonts, pdfinfoPages, pdftotext, pdfWords, renderGrey, type Word } from './poppler.ts';
import { agreementInput, agreementText, sha256 } from './signing-samples.ts';

const FOOTER = /^(第\s*\d+\s*页\s*\/\s*共\s*\d+\s*页|Page \d+ of \d+)$/;
const squeeze = (text: string) => text.replace(/\s+/g, '');
/** The extracted text without page footers, line by line. */
const textLines = (text: string) =>
	text
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !FOOTER.test(line));

/** A long agreement: `sections` headings, each with paragraphs long enough to wrap several times. */
function longAgreementText(sections: number): string {
	const paragraph = (n: number) =>
		`第${n}项：经查明，双方于2026年${(n % 12) + 1}月就宅基地边界、排水沟走向及院墙高度发生争议，“相邻关系”应当按照有利生产、方便生活、团结互助、公平合理的原则处理（参见《民法典》第二百八十八条）。当事人同意由调解委员会组织现场勘查，勘查结果作为本协议的附件，各方对此无异议。`;
	const blocks: string[] = [];
	for (let section = 1; section <= sections; section++) {
		blocks.push(`${section}、事项说明`);
		for (let n = 1; n <= 4; n++) blocks.push(paragraph(section * 10 + n));
	}
	return agreementText(blocks);
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
	it('embeds the CJK font as a subset and gives the text back unchanged, digits and Latin included', async () => {
		const input = agreementInput();
		const { pdf, pages, replacedCharacters } = await buildAgreementPdf(input);
		expect(replacedCharacters).toEqual([]);
		expect(pages).toBe(await pdfinfoPages(pdf));

		const fonts = await pdffonts(pdf);
		expect(fonts).toHaveLength(1);
		expect(fonts[0]).toMatchObject({ embedded: true, subset: true, unicode: true });
		expect(fonts[0].name).toMatch(/^[A-Z]{6}\+NotoSansCJKsc-Regular$/);

		const text = await pdftotext(pdf);
		const [title, ...rest] = input.text.trimEnd().split('\n');
		const extracted = squeeze(textLines(text).join(''));
		expect(extracted.startsWith(title)).toBe(true);
		expect(extracted).toContain(squeeze(rest.join('')));
		// Word spaces survive where the layout puts them.
		expect(text.replace(/\s+/g, ' ')).toContain('Version 2.1, see https://example.org/terms');
		expect(text).toContain('2026-QSZ-000123');
	});

	it('prints the header, the signatures and a last page with the signing certificate', async () => {
		const input = agreementInput();
		const { pdf, pages } = await buildAgreementPdf(input);
		const first = await pdftotext(pdf, { page: 1 });
		expect(first).toContain('案号：2026-QSZ-000123');
		expect(first).toContain('调解组织：青山镇人民调解委员会');
		expect(first).toContain('被申请人：李四');
		expect(squeeze(first)).toContain(`第1页/共${pages}页`);

		const all = await pdftotext(pdf);
		for (const signer of input.signers) expect(all).toContain(`${signer.role}：${signer.name}`);
		expect(all).toContain('签署日期：2026年11月29日');

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
		const { pdf, pages } = await buildAgreementPdf(agreementInput({ language: 'en' }));
		const text = (await pdftotext(pdf)).replace(/\s+/g, ' ');
		expect(text).toContain('Case number: 2026-QSZ-000123');
		expect(text).toContain('Signing certificate');
		expect(text).toContain(`Page ${pages} of ${pages}`);
	});

	it('renders the subset with the same ink as the full font, page by page, within 1%', async () => {
		const input = agreementInput();
		const subset = await buildAgreementPdf(input);
		const full = await buildAgreementPdf(input, { embedding: 'full' });
		expect((await pdffonts(full.pdf))[0]).toMatchObject({ embedded: true, subset: false });
		expect(full.pdf.byteLength).toBeGreaterThan(subset.pdf.byteLength * 20);
		const [subsetInk, fullInk] = await Promise.all([inkPerPage(subset.pdf), inkPerPage(full.pdf)]);
		expect(subsetInk).toHaveLength(fullInk.length);
		subsetInk.forEach((ink, page) => {
			expect(ink).toBeGreaterThan(1000);
			expect(Math.abs(ink - fullInk[page]) / fullInk[page]).toBeLessThan(0.01);
		});
	});

	it('draws rare characters with the fallback font and replaces, visibly and reported, those no font has', async () => {
		const text = agreementText(['祖宅所在地名为𠀀村，户主姓𪚥，签字时附😀表情。']);
		const { pdf, replacedCharacters } = await buildAgreementPdf(agreementInput({ text, textSha256: sha256(text) }));
		expect(replacedCharacters).toEqual(['😀']);
		const fonts = await pdffonts(pdf);
		expect(fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
			'HanaMinB',
			'NotoSansCJKsc-Regular'
		]);
		for (const font of fonts) expect(font).toMatchObject({ embedded: true, subset: true, unicode: true });
		expect(squeeze(await pdftotext(pdf))).toContain(
			`祖宅所在地名为𠀀村，户主姓𪚥，签字时附${REPLACEMENT_CHARACTER}表情。`
		);
	});

	it('paginates a long agreement cleanly: numbered pages, text inside the margins, no heading left at a page bottom', async () => {
		const text = longAgreementText(14);
		const { pdf, pages } = await buildAgreementPdf(agreementInput({ text, textSha256: sha256(text) }));
		expect(pages).toBeGreaterThanOrEqual(10);
		expect(await pdfinfoPages(pdf)).toBe(pages);

		const headings = new Set(text.split('\n').filter(isHeadingLine));
		expect(headings.size).toBeGreaterThan(14);
		const words = await expectInsideMargins(pdf, pages);
		for (let page = 1; page <= pages; page++) {
			const body = words.filter((word) => word.page === page && word.yMin <= PAGE.height - PAGE.marginBottom);
			const lastLine = body.sort((a, b) => b.yMin - a.yMin)[0];
			expect(headings.has(lastLine.text), `page ${page} ends with the heading ${lastLine.text}`).toBe(false);
		}
		const extracted = squeeze(textLines(await pdftotext(pdf)).join(''));
		expect(extracted).toContain(squeeze(text.split('\n').slice(1).join('')));
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
		const input = agreementInput({
			title: long('关于宅基地边界及排水沟纠纷的人民调解协议书', 100),
			committee: long('青山镇人民调解委员会第一调解室', 100),
			parties: Array.from({ length: 50 }, (_, index) => ({
				name: `${long('张', 98)}${index}`,
				role: long('申请人', 40)
			})),
			signers
		});
		const { pdf, pages } = await buildAgreementPdf(input);
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
		const text = longAgreementText(3);
		const { pdf } = await buildAgreementPdf(agreementInput({ text, textSha256: sha256(text) }));
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
		await expect(buildAgreementPdf(agreementInput({ textSha256: 'abc' }))).rejects.toMatchObject({
			code: 'VALIDATION',
			fields: { textSha256: expect.any(Array) }
		});
		const [signer] = agreementInput().signers;
		const notPng = { ...signer, signature: new TextEncoder().encode('<svg/>') };
		await expect(buildAgreementPdf(agreementInput({ signers: [notPng] }))).rejects.toMatchObject({
			code: 'VALIDATION',
			fields: { 'signers.0.signature': ['file_type'] }
		});
		const brokenPng = { ...signer, signature: signer.signature.slice(0, 40) };
		await expect(buildAgreementPdf(agreementInput({ signers: [brokenPng] }))).rejects.toMatchObject({
			code: 'VALIDATION',
			fields: { 'signers.0.signature': ['file_type'] }
		});
		await expect(buildAgreementPdf(agreementInput({ verificationUrl: 'javascript:alert(1)' }))).rejects.toMatchObject({
			code: 'VALIDATION'
		});
		await expect(buildAgreementPdf({ ...agreementInput(), timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
			code: 'VALIDATION'
		});
	});
});
