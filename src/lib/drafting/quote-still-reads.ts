/**
 * Whether the text a comment quoted still reads in the draft: each line of the quote, in order.
 * Line by line, because a quote across blocks has no list numbers while the draft's text does.
 */
export function quoteStillReads(draftText: string, quote: string): boolean {
	let from = 0;
	for (const line of quote.split('\n')) {
		const wanted = line.trim();
		if (!wanted) continue;
		const at = draftText.indexOf(wanted, from);
		if (at < 0) return false;
		from = at + wanted.length;
	}
	return true;
}
