import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import subsetFont from 'subset-font';
import { AppError } from '#shared/errors.ts';
import { extractCollectionFace } from './font-collection.ts';

/**
 * The fonts of an agreement, from Debian packages the project installs (see .ci/run): Noto Sans
 * CJK SC (fonts-noto-cjk) for everything it covers, Latin included, and HanaMinB
 * (fonts-hanazono) for rare characters of CJK Extension B and beyond. Both are under the SIL
 * Open Font License, which allows embedding.
 */
const MAIN_FONT = { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' };
const RARE_CHARACTERS_FONT = { file: '/usr/share/fonts/truetype/hanazono/HanaMinB.ttf', face: 'HanaMinB' };

export type FontFace = {
	name: string;
	bytes: Uint8Array;
	covers: (codePoint: number) => boolean;
};

function loadFace(source: { file: string; face: string }): FontFace {
	if (!existsSync(source.file))
		throw new AppError('INTERNAL', { cause: new Error(`font file missing: ${source.file}`) });
	const file = readFileSync(source.file);
	const bytes = source.file.endsWith('.ttc') ? extractCollectionFace(file, source.face) : new Uint8Array(file);
	const parsed = fontkit.create(bytes);
	return { name: source.face, bytes, covers: (codePoint) => parsed.hasGlyphForCodePoint(codePoint) };
}

let mainFace: FontFace | undefined;
let rareCharactersFace: FontFace | null | undefined;

/** The main face, read once per thread: reading and indexing it takes a tenth of a second. */
export function mainFont(): FontFace {
	mainFace ??= loadFace(MAIN_FONT);
	return mainFace;
}

/** The face for rare characters, read on first need; null where fonts-hanazono is not installed. */
export function rareCharactersFont(): FontFace | null {
	if (rareCharactersFace === undefined) {
		rareCharactersFace = existsSync(RARE_CHARACTERS_FONT.file) ? loadFace(RARE_CHARACTERS_FONT) : null;
	}
	return rareCharactersFace;
}

/** A subset font's name: six capitals from the characters it holds, then `+` and the face's name (PDF 32000 §9.6.4). */
export function subsetName(face: FontFace, characters: string): string {
	const digest = createHash('sha256').update(face.name).update(characters).digest();
	const tag = [...digest.subarray(0, 6)].map((byte) => String.fromCharCode(65 + (byte % 26))).join('');
	return `${tag}+${face.name}`;
}

/**
 * The face cut down to exactly `characters` (HarfBuzz's subsetter; pdf-lib's own corrupts CJK
 * fonts). Without layout features and hints: the PDF draws one glyph per character, and the
 * alternates that features reach (vertical, proportional, full-width forms) would more than
 * double the file.
 */
export function subsetFace(face: FontFace, characters: string): Promise<Uint8Array> {
	// subset-font tells font formats apart with Buffer methods.
	const bytes = Buffer.from(face.bytes.buffer, face.bytes.byteOffset, face.bytes.byteLength);
	return subsetFont(bytes, characters, { keepFeatures: [], noHinting: true });
}
