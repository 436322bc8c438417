import { RISK_CATEGORIES, type RiskCategory, type WarningSettings } from '#shared/warnings.ts';

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The risk words of each category that occur in `text`. Chinese words match
 * anywhere (there are no spaces between words); words in Latin letters match
 * whole words only, so that "skill" does not count as "kill".
 */
export function riskWordsIn(
	text: string,
	riskWords: WarningSettings['riskWords']
): Partial<Record<RiskCategory, string[]>> {
	const lower = text.toLowerCase();
	const found: Partial<Record<RiskCategory, string[]>> = {};
	for (const category of RISK_CATEGORIES) {
		const words = riskWords[category].filter((word) => {
			const needle = word.toLowerCase();
			return /^[\p{Script=Latin}\d\s'-]+$/u.test(needle)
				? new RegExp(`(?<![\\p{L}\\d])${escape(needle)}(?![\\p{L}\\d])`, 'u').test(lower)
				: lower.includes(needle);
		});
		if (words.length) found[category] = words;
	}
	return found;
}
