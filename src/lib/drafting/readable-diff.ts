import { diffChars } from 'diff';

export type DiffPart = { kind: 'same' | 'removed' | 'added'; text: string };
/** A diff for reading: long unchanged stretches are shown only by how many lines they hold. */
export type ShownPart = DiffPart | { kind: 'skipped'; lines: number };

/** A stretch of unchanged text this short between two changes reads better as part of them. */
const MAX_BRIDGED = 2;

type Segment = { same: string } | { removed: string; added: string };

/**
 * What changed from one agreement text to another, character by character (Chinese has no
 * spaces between words), with changes only a character or two apart joined into one: "2026年12月"
 * to "2027年1月" reads as one replaced date, not four scattered digits.
 */
export function readableDiff(before: string, after: string): DiffPart[] {
	const segments: Segment[] = [];
	for (const change of diffChars(before, after)) {
		const last = segments.at(-1);
		if (!change.added && !change.removed) segments.push({ same: change.value });
		else if (last && !('same' in last)) last[change.added ? 'added' : 'removed'] += change.value;
		else segments.push({ removed: change.removed ? change.value : '', added: change.added ? change.value : '' });
	}

	const joined: Segment[] = [];
	for (let index = 0; index < segments.length; index++) {
		const segment = segments[index];
		const previous = joined.at(-1);
		const next = segments[index + 1];
		if (
			'same' in segment &&
			previous &&
			!('same' in previous) &&
			next &&
			!('same' in next) &&
			[...segment.same].length <= MAX_BRIDGED &&
			!segment.same.includes('\n')
		) {
			previous.removed += segment.same + next.removed;
			previous.added += segment.same + next.added;
			index++;
		} else joined.push('same' in segment ? segment : { ...segment });
	}

	return joined.flatMap((segment): DiffPart[] =>
		'same' in segment
			? [{ kind: 'same', text: segment.same }]
			: [
					...(segment.removed ? [{ kind: 'removed' as const, text: segment.removed }] : []),
					...(segment.added ? [{ kind: 'added' as const, text: segment.added }] : [])
				]
	);
}

/**
 * Leaves out the middle of long unchanged stretches: `context` whole lines stay next to each
 * change (besides the rest of the changed line itself), so a change reads in its place without
 * the whole agreement around it.
 */
export function collapseUnchanged(parts: DiffPart[], context = 1): ShownPart[] {
	return parts.flatMap((part, index): ShownPart[] => {
		if (part.kind !== 'same') return [part];
		const lines = part.text.split('\n');
		const head = index > 0 ? context + 1 : 0;
		const tail = index < parts.length - 1 ? context + 1 : 0;
		const omitted = lines.slice(head, lines.length - tail).filter((line) => line !== '').length;
		if (lines.length <= head + tail || omitted < 2) return [part];
		return [
			...(head ? [{ kind: 'same' as const, text: lines.slice(0, head).join('\n') + '\n' }] : []),
			{ kind: 'skipped', lines: omitted },
			...(tail ? [{ kind: 'same' as const, text: '\n' + lines.slice(lines.length - tail).join('\n') }] : [])
		];
	});
}
