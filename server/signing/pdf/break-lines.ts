/**
 * Line breaking for Chinese text with Latin words in it, by the usual rules (禁则): no line starts
 * with closing punctuation, no line ends with opening punctuation, and a Latin word or number is
 * never split, unless it is wider than a whole line on its own.
 */

/** Characters that may not start a line. */
export const CLOSING_PUNCTUATION = '，。、；：？！）」』》〉】〕〗｝］”’…‥—～％‰·・．,.;:?!)]}%';
/** Characters that may not end a line. */
export const OPENING_PUNCTUATION = '（「『《〈【〔〖｛［“‘([{';

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });
// Only the ASCII space breaks and is dropped at a break; an ideographic space (U+3000) is a character like any other.
const isSpace = (cluster: string) => /^ +$/.test(cluster);
const withoutTrailingSpaces = (text: string) => text.replace(/ +$/, '');
// Letters and digits outside the CJK scripts, and what joins them inside a word (e-mail, 1.5, 2026-11-29).
const isWordPart = (cluster: string) =>
	/^[\p{L}\p{N}\p{M}@#&_'/\\=+*<>|^$-]+$/u.test(cluster) &&
	!/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(cluster);

export type Measure = (text: string) => number;

/** Units that stay on one line: a word or a CJK character, with the punctuation held to it. */
function unitsOf(text: string): string[] {
	const units: string[] = [];
	let pendingOpen = '';
	let previousWasWordPart = false;
	for (const { segment } of segmenter.segment(text)) {
		const last = units.length - 1;
		if (isSpace(segment)) {
			units.push(pendingOpen + segment);
			pendingOpen = '';
			previousWasWordPart = false;
		} else if (OPENING_PUNCTUATION.includes(segment)) {
			pendingOpen += segment;
			previousWasWordPart = false;
		} else if (CLOSING_PUNCTUATION.includes(segment) && !pendingOpen && last >= 0 && !isSpace(units[last])) {
			units[last] += segment;
			// "1.5" and "a.b": a full stop between word parts keeps the word together.
			previousWasWordPart = previousWasWordPart && '.,:'.includes(segment);
		} else if (isWordPart(segment) && previousWasWordPart && !pendingOpen) {
			units[last] += segment;
		} else {
			units.push(pendingOpen + segment);
			pendingOpen = '';
			previousWasWordPart = isWordPart(segment);
		}
	}
	if (pendingOpen) units.push(pendingOpen);
	return units;
}

/** A unit wider than a line, cut into pieces that fit, one cluster at least each. */
function cutToWidth(unit: string, width: number, measure: Measure): string[] {
	const pieces: string[] = [];
	let piece = '';
	for (const { segment } of segmenter.segment(unit)) {
		if (piece && measure(piece + segment) > width) {
			pieces.push(piece);
			piece = '';
		}
		piece += segment;
	}
	return piece ? [...pieces, piece] : pieces;
}

/**
 * `text` (one paragraph, no line breaks) as lines no wider than `width`. Spaces where a line
 * breaks are dropped; nothing else is.
 */
export function breakLines(text: string, width: number, measure: Measure): string[] {
	const lines: string[] = [];
	let line = '';
	const finish = () => {
		const trimmed = withoutTrailingSpaces(line);
		if (trimmed) lines.push(trimmed);
		line = '';
	};
	for (const unit of unitsOf(text)) {
		if (isSpace(unit) && !line) continue;
		if (measure(line + withoutTrailingSpaces(unit)) <= width) {
			line += unit;
			continue;
		}
		finish();
		if (isSpace(unit)) continue;
		const pieces = measure(unit) > width ? cutToWidth(unit, width, measure) : [unit];
		lines.push(...pieces.slice(0, -1));
		line = pieces.at(-1) ?? '';
	}
	finish();
	return lines;
}
