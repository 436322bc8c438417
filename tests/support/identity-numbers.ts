import { creditCodeCheckCharacter } from '../../src/lib/shared/credit-code.ts';
import { residentIdCheckCharacter } from '../../src/lib/shared/resident-id.ts';

/**
 * A well-formed resident ID number for test parties, built as GB 11643 lays it out: address
 * code, birth date, a sequence whose last digit is odd for a man, and the check character.
 * The check algorithm itself is held to the standard's published example in its unit spec.
 */
export function residentIdNumber({
	region = '110105',
	birthDate = '1980-05-01',
	sex = 'male',
	sequence = 1
}: { region?: string; birthDate?: string; sex?: 'male' | 'female'; sequence?: number } = {}): string {
	const base = sequence * 2 + (sex === 'male' ? 1 : 0);
	const first17 = `${region}${birthDate.replaceAll('-', '')}${String(base % 1000).padStart(3, '0')}`;
	return first17 + residentIdCheckCharacter(first17);
}

/** A well-formed unified social credit code: a company (91) registered in `region`, with the given organisation code. */
export function creditCode({ region = '330100', organisation = 'MA2B3C4D5' } = {}): string {
	const first17 = `91${region}${organisation}`;
	return first17 + creditCodeCheckCharacter(first17);
}

/** The same number with its check character replaced by a wrong one. */
export function withWrongCheck(number: string, charset = '0123456789X'): string {
	const last = number.at(-1)!;
	const wrong = [...charset].find((c) => c !== last)!;
	return number.slice(0, -1) + wrong;
}
