import { describe, expect, it } from 'vitest';
import { quoteStillReads } from './quote-still-reads.ts';

const DRAFT = '人民调解协议书\n1. 被申请人于十五日内完工。\n2. 逾期每日按五十元计付违约金。\n';

describe('quoteStillReads', () => {
	it('finds a quote within a block, and one across numbered clauses', () => {
		expect(quoteStillReads(DRAFT, '被申请人于十五日内完工')).toBe(true);
		expect(quoteStillReads(DRAFT, '被申请人于十五日内完工。\n逾期每日按五十元计付违约金。')).toBe(true);
	});

	it('tells a quote whose text was overwritten, or whose lines no longer follow each other', () => {
		expect(quoteStillReads(DRAFT.replace('十五日', '十日'), '被申请人于十五日内完工')).toBe(false);
		expect(quoteStillReads(DRAFT, '逾期每日按五十元计付违约金。\n被申请人于十五日内完工。')).toBe(false);
	});
});
