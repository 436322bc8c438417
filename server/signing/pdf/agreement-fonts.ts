import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import subsetFont from 'subset-font';
import { AppError } from '#shared/errors.ts';

/*
 * The fonts of an agreement. Noto Serif SC, a Song-style serif as official documents are set in,
 * comes from the npm package @expo-google-fonts/noto-serif-sc (SIL Open Font License 1.1, which
 * allows embedding), so every machine that ran `npm install` has it: the regular weight for the
 * text, the bold for the title, the headings and the seal. Its outlines are TrueType (glyf), which
 * a PDF embeds as CIDFontType2 with FontFile2. HanaMinB (Debian's fonts-hanazono, also OFL) draws
 * rare characters of CJK Extension B and beyond where it is installed.
 */
const fontFile = (path: string) => createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-serif-sc/${path}`);
const TEXT_FONT = { file: () => fontFile('400Regular/NotoSerifSC_400Regular.ttf'), face: 'NotoSerifSC-Regular' };
const TITLE_FONT = { file: () => fontFile('700Bold/NotoSerifSC_700Bold.ttf'), face: 'NotoSerifSC-Bold' };
export const RARE_CHARACTERS_FONT_FILE = '/usr/share/fonts/truetype/hanazono/HanaMinB.ttf';
const RARE_CHARACTERS_FONT = { file: () => RARE_CHARACTERS_FONT_FILE, face: 'HanaMinB' };

type FontSource = { file: () => string; face: string };

export type FontFace = {
	name: string;
	bytes: Uint8Array;
	/** The parsed font, for its glyph outlines (the seal draws them). */
	font: Font;
	covers: (codePoint: number) => boolean;
};

/** Where a font file is, or null when it is missing (the package not installed, the system font absent). */
function locate(source: FontSource): string | null {
	try {
		const file = source.file();
		return existsSync(file) ? file : null;
	} catch {
		return null;
	}
}

function loadFace(source: FontSource): FontFace {
	const file = locate(source);
	if (!file) throw new AppError('INTERNAL', { cause: new Error(`font file missing: ${source.face}`) });
	const bytes = new Uint8Array(readFileSync(file));
	const font = fontkit.create(bytes);
	return { name: source.face, bytes, font, covers: (codePoint) => font.hasGlyphForCodePoint(codePoint) };
}

const faces = new Map<string, FontFace>();

/** A face read once per thread: reading and indexing one takes a tenth of a second. */
function face(source: FontSource): FontFace {
	let loaded = faces.get(source.face);
	if (!loaded) {
		loaded = loadFace(source);
		faces.set(source.face, loaded);
	}
	return loaded;
}

export const textFont = (): FontFace => face(TEXT_FONT);
export const titleFont = (): FontFace => face(TITLE_FONT);

/** The face for rare characters, read on first need; null where fonts-hanazono is not installed. */
export function rareCharactersFont(): FontFace | null {
	return locate(RARE_CHARACTERS_FONT) ? face(RARE_CHARACTERS_FONT) : null;
}

/** Whether the fonts agreements need are in place (for /healthz): the rare-characters one is optional. */
export function agreementFontsAvailable(): { text: boolean; title: boolean; rareCharacters: boolean } {
	return {
		text: locate(TEXT_FONT) !== null,
		title: locate(TITLE_FONT) !== null,
		rareCharacters: locate(RARE_CHARACTERS_FONT) !== null
	};
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
