/**
 * The 18-character citizen identification number of GB 11643-1999 (居民身份证号码, also used by
 * the residence permits of Hong Kong, Macao and Taiwan residents): a 6-digit address code, the
 * birth date as YYYYMMDD, a 3-digit sequence whose last digit is odd for men and even for women,
 * and a check character computed by ISO 7064 MOD 11-2.
 */

/** Weight of each of the first 17 digits: 2^(17 - i) mod 11, position i counted from the left from 0. */
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11);
/** The check character for each remainder of the weighted sum mod 11. */
const CHECK_CHARACTERS = '10X98765432';

export type Sex = 'male' | 'female';

/** The check character of the first 17 digits. */
export function residentIdCheckCharacter(first17: string): string {
	if (!/^\d{17}$/.test(first17)) throw new RangeError('17 digits expected');
	const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(first17[i]), 0);
	return CHECK_CHARACTERS[sum % 11];
}

export type ResidentId = { birthDate: string; sex: Sex };

/**
 * What a well-formed number says about its holder (birth date as YYYY-MM-DD, and sex), or null
 * when it is not one: wrong length or characters, a wrong check character, or a birth date that
 * does not exist or lies in the future. A lower-case x is read as X.
 */
export function parseResidentId(value: string, today = new Date()): ResidentId | null {
	const number = value.toUpperCase();
	if (!/^\d{17}[\dX]$/.test(number)) return null;
	if (residentIdCheckCharacter(number.slice(0, 17)) !== number[17]) return null;
	const birthDate = `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`;
	if (!isCalendarDate(birthDate) || birthDate > today.toISOString().slice(0, 10) || birthDate < '1890-01-01')
		return null;
	return { birthDate, sex: Number(number[16]) % 2 === 1 ? 'male' : 'female' };
}

/** Whether YYYY-MM-DD names a day that exists (no 30 February). */
export function isCalendarDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
