import { AppError } from '#shared/errors.ts';

/** Stands in, visibly, for a character no font has; the characters it replaced are reported. */
export const REPLACEMENT_CHARACTER = '〓';

export type FontChoice = 'main' | 'rare';
export type Run = { font: FontChoice; text: string };
export type Coverage = { main: (codePoint: number) => boolean; rare: ((codePoint: number) => boolean) | null };

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * Which font draws each character of a document: the main font where it has every code point of
 * a character (an emoji with its modifiers is one character), the rare-characters font where
 * that one has them, else the replacement character.
 */
export class FontPlan {
	readonly #coverage: Coverage;
	readonly #choices = new Map<string, FontChoice | null>();
	#frozen = false;

	constructor(coverage: Coverage) {
		this.#coverage = coverage;
		this.#choices.set(REPLACEMENT_CHARACTER, 'main');
	}

	#choose(cluster: string): FontChoice | null {
		let choice = this.#choices.get(cluster);
		if (choice !== undefined) return choice;
		// The fonts are cut to the planned characters: one drawn unplanned would print as a blank.
		if (this.#frozen) throw new AppError('INTERNAL', { cause: new Error(`unplanned character ${cluster}`) });
		const codePoints = [...cluster].map((char) => char.codePointAt(0) ?? 0);
		const rare = this.#coverage.rare;
		choice = codePoints.every(this.#coverage.main) ? 'main' : rare && codePoints.every(rare) ? 'rare' : null;
		this.#choices.set(cluster, choice);
		return choice;
	}

	/** Ends planning: from now on only characters already planned may be drawn. */
	freeze(): void {
		this.#frozen = true;
	}

	/** `text` as runs of one font each, with replaced characters already swapped. */
	runs(text: string): Run[] {
		const runs: Run[] = [];
		for (const { segment } of segmenter.segment(text)) {
			const choice = this.#choose(segment);
			const font = choice ?? 'main';
			const drawn = choice ? segment : REPLACEMENT_CHARACTER;
			const last = runs.at(-1);
			if (last?.font === font) last.text += drawn;
			else runs.push({ font, text: drawn });
		}
		return runs;
	}

	/** Every character planned so far that each font must hold. */
	characters(font: FontChoice): string {
		return [...this.#choices]
			.filter(([, choice]) => choice === font)
			.map(([cluster]) => cluster)
			.join('');
	}

	/** The characters no font has, each once, in the order first met. */
	replaced(): string[] {
		return [...this.#choices].filter(([, choice]) => choice === null).map(([cluster]) => cluster);
	}
}
