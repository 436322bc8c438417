/**
 * The 18-character unified social credit code of GB 32100-2015 (统一社会信用代码) that every
 * company and other organisation holds: the registering authority, the kind of organisation,
 * the 6-digit address code, the 9-character organisation code, and a check character.
 */

/** The 31 characters the code uses: digits and capitals without I, O, S, V and Z. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weight of each of the first 17 characters: 3^i mod 31. */
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/** The check character of the first 17 characters. */
export function creditCodeCheckCharacter(first17: string): string {
	if (first17.length !== 17 || [...first17].some((c) => !CHARSET.includes(c)))
		throw new RangeError('17 code characters expected');
	const sum = WEIGHTS.reduce((total, weight, i) => total + weight * CHARSET.indexOf(first17[i]), 0);
	return CHARSET[(31 - (sum % 31)) % 31];
}

/** Whether the value is a credit code whose check character is right; lower case is read as upper case. */
export function isCreditCode(value: string): boolean {
	const code = value.toUpperCase();
	const shape = new RegExp(`^[${CHARSET}]{2}\\d{6}[${CHARSET}]{10}$`);
	return shape.test(code) && creditCodeCheckCharacter(code.slice(0, 17)) === code[17];
}
