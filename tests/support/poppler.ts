import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** poppler-utils on a PDF held in memory: what CI checks agreements with. */

const run = promisify(execFile);

async function withFile<T>(pdf: Uint8Array, use: (file: string, dir: string) => Promise<T>): Promise<T> {
	const dir = await mkdtemp(join(tmpdir(), 'tiaojie-pdf-'));
	try {
		const file = join(dir, 'doc.pdf');
		await writeFile(file, pdf);
		return await use(file, dir);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** A poppler tool's output; a failing exit (pdfsig on a broken file) still gives its output. */
async function poppler(tool: string, args: string[]): Promise<string> {
	try {
		const { stdout } = await run(tool, args, { maxBuffer: 64 * 1024 * 1024 });
		return stdout;
	} catch (error) {
		const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
		return stdout + stderr;
	}
}

export type PdfFont = { name: string; type: string; embedded: boolean; subset: boolean; unicode: boolean };

export const pdffonts = (pdf: Uint8Array): Promise<PdfFont[]> =>
	withFile(pdf, async (file) => {
		const lines = (await poppler('pdffonts', [file])).split('\n').slice(2).filter(Boolean);
		return lines.map((line) => {
			// name, type (may hold spaces), encoding, then emb sub uni object ID.
			const columns = line.trim().split(/\s+/);
			const [embedded, subset, unicode] = columns.slice(-5, -2).map((flag) => flag === 'yes');
			return { name: columns[0], type: line.slice(37, 55).trim(), embedded, subset, unicode };
		});
	});

export const pdftotext = (pdf: Uint8Array, options: { layout?: boolean; page?: number } = {}): Promise<string> =>
	withFile(pdf, (file) =>
		poppler('pdftotext', [
			...(options.layout ? ['-layout'] : []),
			...(options.page ? ['-f', String(options.page), '-l', String(options.page)] : []),
			file,
			'-'
		])
	);

export type Word = { page: number; text: string; xMin: number; yMin: number; xMax: number; yMax: number };

/** Every word with its box in points, from the top-left of its page. */
export const pdfWords = (pdf: Uint8Array): Promise<{ pages: { width: number; height: number }[]; words: Word[] }> =>
	withFile(pdf, async (file) => {
		const html = await poppler('pdftotext', ['-bbox', file, '-']);
		const pages: { width: number; height: number }[] = [];
		const words: Word[] = [];
		for (const match of html.matchAll(
			/<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g
		)) {
			if (match[1]) pages.push({ width: Number(match[1]), height: Number(match[2]) });
			else
				words.push({
					page: pages.length,
					text: match[7],
					xMin: Number(match[3]),
					yMin: Number(match[4]),
					xMax: Number(match[5]),
					yMax: Number(match[6])
				});
		}
		return { pages, words };
	});

export const pdfinfoPages = (pdf: Uint8Array): Promise<number> =>
	withFile(pdf, async (file) => Number(/^Pages:\s+(\d+)/m.exec(await poppler('pdfinfo', [file]))?.[1]));

export const pdfsig = (pdf: Uint8Array): Promise<string> => withFile(pdf, (file) => poppler('pdfsig', [file]));

type GreyImage = { width: number; height: number; pixels: Buffer; pixel: (x: number, y: number) => number };

/** A binary PGM (P5, 8 bits): its header is P5, width, height, maxval, then one whitespace byte. */
function readPgm(pgm: Buffer): GreyImage {
	const header = /^P5\s+(\d+)\s+(\d+)\s+\d+\s/.exec(pgm.toString('latin1', 0, 64));
	if (!header) throw new Error('not a binary PGM');
	const [width, height] = [Number(header[1]), Number(header[2])];
	const pixels = pgm.subarray(header[0].length);
	return { width, height, pixels, pixel: (x, y) => pixels[y * width + x] };
}

const pageImages = (pdf: Uint8Array, dpi: number): Promise<GreyImage[]> =>
	withFile(pdf, async (file, dir) => {
		await poppler('pdftoppm', ['-gray', '-r', String(dpi), file, join(dir, 'page')]);
		const pages = await pdfinfoPages(pdf);
		const digits = String(pages).length;
		const images: GreyImage[] = [];
		for (let page = 1; page <= pages; page++) {
			images.push(readPgm(await readFile(join(dir, `page-${String(page).padStart(digits, '0')}.pgm`))));
		}
		return images;
	});

/** Dark pixels (below half grey) of each page rendered in grey at `dpi`. */
export const inkPerPage = async (pdf: Uint8Array, dpi = 100): Promise<number[]> =>
	(await pageImages(pdf, dpi)).map(({ pixels }) => pixels.filter((value) => value < 128).length);

/** The first page rendered in grey at `dpi`. */
export const renderGrey = async (pdf: Uint8Array, dpi: number): Promise<GreyImage> => (await pageImages(pdf, dpi))[0];

/** What pdffonts, pdftotext and pdfsig print on stderr for a PDF: their warnings about it. */
export const popplerWarnings = (pdf: Uint8Array): Promise<Record<string, string>> =>
	withFile(pdf, async (file) => {
		const stderrOf = async (tool: string, args: string[]) => {
			try {
				return (await run(tool, args, { maxBuffer: 64 * 1024 * 1024 })).stderr;
			} catch (error) {
				return (error as { stderr?: string }).stderr ?? String(error);
			}
		};
		const tools: [string, string[]][] = [
			['pdffonts', [file]],
			['pdftotext', [file, '-']],
			['pdfsig', [file]]
		];
		return Object.fromEntries(await Promise.all(tools.map(async ([tool, args]) => [tool, await stderrOf(tool, args)])));
	});

/**
 * The seal-red pixels of a page rendered in colour at `dpi`, as points from the page's top-left
 * (as pdfWords gives boxes).
 */
export const redPoints = (pdf: Uint8Array, page: number, dpi = 72): Promise<{ x: number; y: number }[]> =>
	withFile(pdf, async (file, dir) => {
		await poppler('pdftoppm', [
			'-r',
			String(dpi),
			'-f',
			String(page),
			'-l',
			String(page),
			'-singlefile',
			file,
			join(dir, 'page')
		]);
		const ppm = await readFile(join(dir, 'page.ppm'));
		const header = /^P6\s+(\d+)\s+(\d+)\s+\d+\s/.exec(ppm.toString('latin1', 0, 64));
		if (!header) throw new Error('not a binary PPM');
		const width = Number(header[1]);
		const pixels = ppm.subarray(header[0].length);
		const points: { x: number; y: number }[] = [];
		for (let at = 0; at + 2 < pixels.length; at += 3) {
			const [r, g, b] = [pixels[at], pixels[at + 1], pixels[at + 2]];
			if (r > 150 && g < 110 && b < 110) {
				const index = at / 3;
				points.push({ x: ((index % width) * 72) / dpi, y: (Math.floor(index / width) * 72) / dpi });
			}
		}
		return points;
	});
