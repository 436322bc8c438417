/**
 * Chinese is written without spaces, so word-based full-text search finds
 * nothing in it and trigram indexes cannot serve the two-character words
 * people most often search for (names, places). Instead every run of letters
 * is indexed by its single characters and its character pairs; a query is
 * looked up by its pairs (or its one character), then checked as a substring.
 */

/** Runs of letters and digits in any script, lowercased; everything else separates them. */
function runsOf(text: string): string[] {
	return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The distinct characters and character pairs of `text`, for the search index. */
export function searchTokens(text: string): string[] {
	const tokens = new Set<string>();
	for (const run of runsOf(text)) {
		const chars = [...run];
		chars.forEach((char, i) => {
			tokens.add(char);
			if (i + 1 < chars.length) tokens.add(char + chars[i + 1]);
		});
	}
	return [...tokens];
}

/** What a search for `query` looks up: the tokens every match must hold, and the runs it must contain as written. */
export function searchQuery(query: string): { tokens: string[]; runs: string[] } {
	const runs = runsOf(query);
	const tokens = new Set<string>();
	for (const run of runs) {
		const chars = [...run];
		if (chars.length === 1) tokens.add(chars[0]);
		for (let i = 0; i + 1 < chars.length; i++) tokens.add(chars[i] + chars[i + 1]);
	}
	return { tokens: [...tokens], runs };
}

/** The text a case is searched by: its facts and the names of its parties. */
export function caseSearchText(facts: string, partyNames: string[]): string {
	return [facts, ...partyNames].join('\n').toLowerCase();
}
