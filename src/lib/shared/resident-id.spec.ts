import { describe, expect, it } from 'vitest';
import { residentIdNumber, withWrongCheck } from '../../../tests/support/identity-numbers.ts';
import { isCalendarDate, parseResidentId, residentIdCheckCharacter } from './resident-id.ts';

describe('resident ID numbers (GB 11643)', () => {
	it("reads the standard's own example, whose check character is X", () => {
		expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
		expect(parseResidentId('11010519491231002X')).toEqual({ birthDate: '1949-12-31', sex: 'female' });
		// People type the X in lower case too.
		expect(parseResidentId('11010519491231002x')).toEqual({ birthDate: '1949-12-31', sex: 'female' });
	});

	it('computes the check character by ISO 7064 MOD 11-2 for every remainder', () => {
		// Weighted sums of these 17 digits leave remainders that reach digits, and 10 → X.
		const checks = new Set<string>();
		for (let sequence = 0; sequence < 200; sequence++) {
			const number = residentIdNumber({ birthDate: '1990-02-28', sequence });
			checks.add(number[17]);
			expect(parseResidentId(number)).not.toBeNull();
		}
		expect([...checks].sort().join('')).toBe('0123456789X');
	});

	it('reads the birth date from digits 7 to 14 and the sex from digit 17', () => {
		expect(parseResidentId(residentIdNumber({ birthDate: '1975-11-09', sex: 'male' }))).toEqual({
			birthDate: '1975-11-09',
			sex: 'male'
		});
		expect(parseResidentId(residentIdNumber({ birthDate: '2001-01-31', sex: 'female' }))).toEqual({
			birthDate: '2001-01-31',
			sex: 'female'
		});
	});

	it('refuses a wrong check character, whichever it is', () => {
		expect(parseResidentId('110105194912310021')).toBeNull();
		const good = residentIdNumber({ sequence: 7 });
		for (const c of '0123456789X') if (c !== good[17]) expect(parseResidentId(good.slice(0, 17) + c)).toBeNull();
		expect(parseResidentId(withWrongCheck(residentIdNumber()))).toBeNull();
	});

	it('refuses impossible and future birth dates even with a right check character', () => {
		expect(parseResidentId(residentIdNumber({ birthDate: '1990-02-30' }))).toBeNull();
		expect(parseResidentId(residentIdNumber({ birthDate: '1989-13-01' }))).toBeNull();
		expect(parseResidentId(residentIdNumber({ birthDate: '2001-02-29' }))).toBeNull();
		expect(parseResidentId(residentIdNumber({ birthDate: '2000-02-29' }))).not.toBeNull();
		const today = new Date('2026-06-01T00:00:00Z');
		expect(parseResidentId(residentIdNumber({ birthDate: '2026-06-02' }), today)).toBeNull();
		expect(parseResidentId(residentIdNumber({ birthDate: '2026-06-01' }), today)).not.toBeNull();
	});

	it('refuses the wrong length and characters', () => {
		expect(parseResidentId('11010519491231002')).toBeNull();
		expect(parseResidentId('11010519491231002XX')).toBeNull();
		expect(parseResidentId('1101051949123100X2')).toBeNull();
		expect(parseResidentId('110105491231002')).toBeNull();
		expect(() => residentIdCheckCharacter('1101051949123100')).toThrow(RangeError);
	});

	it('knows which days exist', () => {
		expect(isCalendarDate('2024-02-29')).toBe(true);
		expect(isCalendarDate('2023-02-29')).toBe(false);
		expect(isCalendarDate('2023-04-31')).toBe(false);
		expect(isCalendarDate('2023-4-1')).toBe(false);
	});
});
