import { describe, expect, it } from 'vitest';
import { creditCode, withWrongCheck } from '../../../tests/support/identity-numbers.ts';
import { creditCodeCheckCharacter, isCreditCode } from './credit-code.ts';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('unified social credit codes (GB 32100)', () => {
	it("accepts the standard's example and codes printed on real business licences", () => {
		// GB 32100-2015's own example, then two companies' published codes.
		expect(isCreditCode('91350100M000100Y43')).toBe(true);
		expect(isCreditCode('91440300708461136T')).toBe(true);
		expect(isCreditCode('91110108551385082Q')).toBe(true);
		expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
	});

	it('refuses every wrong check character', () => {
		const good = '91350100M000100Y43';
		for (const c of CHARSET) if (c !== '3') expect(isCreditCode(good.slice(0, 17) + c)).toBe(false);
		expect(isCreditCode(withWrongCheck(creditCode(), CHARSET))).toBe(false);
	});

	it('computes a check character of the code set, including 0 where the sum divides evenly', () => {
		const checks = new Set<string>();
		for (let n = 0; n < 400; n++) {
			const code = creditCode({ organisation: `MA${String(n).padStart(7, '0')}` });
			checks.add(code[17]);
			expect(isCreditCode(code)).toBe(true);
		}
		expect(checks.has('0')).toBe(true);
		expect(checks.size).toBe(CHARSET.length);
	});

	it('reads lower case as upper case, and refuses letters outside the set and the wrong length', () => {
		expect(isCreditCode('91350100m000100y43')).toBe(true);
		expect(isCreditCode('91350100M000100I43')).toBe(false);
		expect(isCreditCode('91350100M000100Y4')).toBe(false);
		expect(isCreditCode('9135A100M000100Y43')).toBe(false);
	});
});
