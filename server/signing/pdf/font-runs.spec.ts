import { describe, expect, it } from 'vitest';
import { FontPlan, REPLACEMENT_CHARACTER } from './font-runs.ts';

describe('the font plan', () => {
	const plan = () =>
		new FontPlan({
			main: (codePoint) => codePoint < 0x20000 && codePoint !== 0x1f600,
			rare: (codePoint) => codePoint >= 0x20000 && codePoint < 0x30000
		});

	it('runs characters in the font that has them and replaces, once each, those none has', () => {
		const fonts = plan();
		expect(fonts.runs('甲𠀀乙😀丙😀')).toEqual([
			{ font: 'main', text: '甲' },
			{ font: 'rare', text: '𠀀' },
			{ font: 'main', text: `乙${REPLACEMENT_CHARACTER}丙${REPLACEMENT_CHARACTER}` }
		]);
		expect(fonts.replaced()).toEqual(['😀']);
		expect(fonts.characters('rare')).toBe('𠀀');
		expect(fonts.characters('main')).toContain(REPLACEMENT_CHARACTER);
	});

	it('refuses, once frozen, a character it did not plan: the fonts were cut without it', () => {
		const fonts = plan();
		fonts.runs('甲乙');
		fonts.freeze();
		expect(fonts.runs('乙甲')).toHaveLength(1);
		expect(() => fonts.runs('丙')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
	});

	it('without a rare-characters font, replaces what the main font lacks', () => {
		const fonts = new FontPlan({ main: (codePoint) => codePoint < 0x20000, rare: null });
		expect(fonts.runs('甲𠀀乙')).toEqual([{ font: 'main', text: `甲${REPLACEMENT_CHARACTER}乙` }]);
		expect(fonts.replaced()).toEqual(['𠀀']);
		expect(fonts.characters('rare')).toBe('');
	});

	it('keeps an emoji with its modifiers as one character, drawn by a font only if it has every code point', () => {
		const fonts = new FontPlan({ main: (codePoint) => codePoint !== 0x1f3fd, rare: null });
		expect(fonts.runs('👍🏽👍')).toEqual([{ font: 'main', text: `${REPLACEMENT_CHARACTER}👍` }]);
		expect(fonts.replaced()).toEqual(['👍🏽']);
	});
});
