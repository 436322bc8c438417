import type { Font } from '@pdf-lib/fontkit';
import { BlendMode, rgb, type PDFPage } from 'pdf-lib';

/** Seal red; multiplied over what is under it, as ink stamped on print. */
const SEAL_RED = rgb(0.84, 0.09, 0.11);
const STAMP = { color: SEAL_RED, blendMode: BlendMode.Multiply, opacity: 0.92 } as const;
/** The name runs over at most this arc of the ring, centred on its top, however long it is. */
const MAX_ARC = (250 * Math.PI) / 180;

type Point = [number, number];

/** A five-pointed star as an SVG path (y down), centred on the origin, its top point up. */
function starPath(radius: number): string {
	const points = Array.from({ length: 10 }, (_, index) => {
		const angle = -Math.PI / 2 + (index * Math.PI) / 5;
		const r = index % 2 === 0 ? radius : radius * 0.382;
		return `${(r * Math.cos(angle)).toFixed(2)} ${(r * Math.sin(angle)).toFixed(2)}`;
	});
	return `M ${points.join(' L ')} Z`;
}

/** An SVG path with every point moved by `map`; fontkit writes absolute M, L, Q, C and Z only. */
function mapSvgPath(path: string, map: (point: Point) => Point): string {
	return path.replace(/([MLQCZ])([^MLQCZ]*)/g, (_, command: string, args: string) => {
		const numbers = args.trim()
			? args
					.trim()
					.split(/[\s,]+/)
					.map(Number)
			: [];
		const mapped: string[] = [];
		for (let i = 0; i + 1 < numbers.length; i += 2) {
			const [x, y] = map([numbers[i], numbers[i + 1]]);
			mapped.push(`${x.toFixed(2)} ${y.toFixed(2)}`);
		}
		return `${command}${mapped.join(' ')}`;
	});
}

/**
 * The committee's round seal, as Chinese electronic seals look: a red ring, the committee's name
 * along its upper arc, upright to the centre, and a five-pointed star in the middle. Drawn as
 * vector outlines from `font` (a bold face), so it is a picture in the PDF, not text to extract.
 */
export function drawSeal(page: PDFPage, name: string, font: Font, at: { x: number; y: number; radius: number }): void {
	const { radius } = at;
	const ring = radius * 0.06;
	page.drawCircle({
		x: at.x,
		y: at.y,
		size: radius - ring / 2,
		borderWidth: ring,
		borderColor: SEAL_RED,
		borderOpacity: STAMP.opacity,
		blendMode: STAMP.blendMode
	});
	page.drawSvgPath(starPath(radius * 0.3), { x: at.x, y: at.y, ...STAMP });

	const characters = [...name].filter((char) => font.hasGlyphForCodePoint(char.codePointAt(0)!));
	if (characters.length === 0) return;
	const size = radius * 0.3;
	// Characters sit on a circle inside the ring; a long name spreads over the arc and narrows to fit.
	const textRadius = radius - ring - size * 0.62;
	const step = Math.min(MAX_ARC / characters.length, (size * 1.15) / textRadius);
	const width = Math.min(1, (textRadius * step * 0.92) / size);
	const scale = size / font.unitsPerEm;
	const middle = (font.ascent + font.descent) / 2;
	characters.forEach((char, index) => {
		const glyph = font.glyphForCodePoint(char.codePointAt(0)!);
		const angle = (index - (characters.length - 1) / 2) * step;
		const [sin, cos] = [Math.sin(angle), Math.cos(angle)];
		const centre: Point = [textRadius * sin, -textRadius * cos];
		// Font units (y up) to the seal's SVG space (y down): centred on the glyph, narrowed, turned by `angle`.
		const outline = mapSvgPath(glyph.path.toSVG(), ([x, y]) => {
			const gx = (x - glyph.advanceWidth / 2) * scale * width;
			const gy = -(y - middle) * scale;
			return [centre[0] + gx * cos - gy * sin, centre[1] + gx * sin + gy * cos];
		});
		page.drawSvgPath(outline, { x: at.x, y: at.y, ...STAMP });
	});
}
