import { describe, expect, it } from 'vitest';
import { breakLines, CLOSING_PUNCTUATION, OPENING_PUNCTUATION } from './break-lines.ts';

/** Each character one unit wide, a Latin letter or digit half a unit: a monospaced stand-in for a font. */
const measure = (text: string) => [...text].reduce((width, char) => width + (/[\x20-\x7e]/.test(char) ? 0.5 : 1), 0);

describe('Chinese line breaking', () => {
	it('fills lines to the width, dropping nothing', () => {
		const text = '经调解，双方自愿达成如下协议。被申请人于本月底前支付赔偿款。';
		const lines = breakLines(text, 10, measure);
		expect(lines.join('')).toBe(text);
		for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(10);
	});

	it('never starts a line with closing punctuation: the character before comes down with it', () => {
		// Ten characters fill the line exactly; the comma would start the next one.
		const lines = breakLines('一二三四五六七八九十，甲乙。', 10, measure);
		expect(lines).toEqual(['一二三四五六七八九', '十，甲乙。']);
		for (const closing of CLOSING_PUNCTUATION) {
			for (const line of breakLines(`一二三四五六七八九十${closing}甲乙`, 10, measure).slice(1)) {
				expect(line[0]).not.toBe(closing);
			}
		}
	});

	it('never ends a line with opening punctuation: it goes down with what it opens', () => {
		const lines = breakLines('一二三四五六七八九（甲乙）', 10, measure);
		expect(lines).toEqual(['一二三四五六七八九', '（甲乙）']);
		for (const opening of OPENING_PUNCTUATION) {
			for (const line of breakLines(`一二三四五六七八九${opening}甲乙`, 10, measure)) {
				expect(line.at(-1)).not.toBe(opening);
			}
		}
	});

	it('keeps Latin words and numbers whole, with the punctuation that follows them', () => {
		const lines = breakLines('支付人民币12,000.50元，合同编号HT-2026-0042，见https://example.org/a', 10, measure);
		expect(lines.join('')).toBe('支付人民币12,000.50元，合同编号HT-2026-0042，见https://example.org/a');
		expect(lines.some((line) => line.includes('12,000.50'))).toBe(true);
		expect(lines.some((line) => line.includes('HT-2026-0042，'))).toBe(true);
	});

	it('breaks Latin text at spaces and drops the space at the break', () => {
		expect(breakLines('the parties agree to pay', 4, measure)).toEqual(['the', 'parties', 'agree to', 'pay']);
	});

	it('keeps ideographic spaces, which hold places for dates and sums to be written in', () => {
		const text = '被申请人于　　年　　月　　日前支付人民币　　元。';
		const lines = breakLines(text, 10, measure);
		expect(lines.join('')).toBe(text);
	});

	it('cuts a word wider than a whole line rather than letting it run over', () => {
		const lines = breakLines('https://example.org/verify?sha256=0123456789abcdef', 10, measure);
		expect(lines.join('')).toBe('https://example.org/verify?sha256=0123456789abcdef');
		for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(10);
	});

	it('keeps an emoji with its modifiers on one line', () => {
		const lines = breakLines('一二三四五六七八九👍🏽十', 10, measure);
		expect(lines.join('')).toBe('一二三四五六七八九👍🏽十');
		expect(lines.some((line) => line.includes('👍🏽'))).toBe(true);
	});
});
