import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone-number.ts';

describe('mainland phone numbers', () => {
	it('keeps a mobile as its 11 digits, however it was written', () => {
		expect(normalizePhone('13800138000')).toBe('13800138000');
		expect(normalizePhone('138 0013 8000')).toBe('13800138000');
		expect(normalizePhone('138-0013-8000')).toBe('13800138000');
		expect(normalizePhone('+86 138 0013 8000')).toBe('13800138000');
		expect(normalizePhone('8613800138000')).toBe('13800138000');
		expect(normalizePhone('19912345678')).toBe('19912345678');
	});

	it('takes a landline with its area code, and an extension', () => {
		expect(normalizePhone('010-62345678')).toBe('010-62345678');
		expect(normalizePhone('0571 8765 4321')).toBe('057187654321');
		expect(normalizePhone('(0571)87654321')).toBe('057187654321');
		expect(normalizePhone('0755-2345678-801')).toBe('0755-2345678-801');
	});

	it('refuses what is neither', () => {
		for (const wrong of ['12800138000', '1380013800', '138001380001', '62345678', '010-1234567', 'call me', '', '110'])
			expect(normalizePhone(wrong), wrong).toBeNull();
	});
});
