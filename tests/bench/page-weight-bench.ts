/**
 * Page weight of the pages a party uses: the JavaScript and CSS each one loads when it opens (the
 * client entry, its layouts and its page, with every static import, as the build lists them for
 * the page's modulepreload and stylesheet links), compressed as gzip and brotli at their highest
 * levels. The room loads the agreement editor only when its agreement column opens: that column
 * is measured as a page of its own, and together with the room as the reference of what the room
 * weighed when it loaded the editor up front. Reads the last `npm run build`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const pageWeightSectionTitle = 'Page weight: JavaScript and CSS of the party pages';

const OUTPUT = fileURLToPath(new URL('../../.svelte-kit/output/', import.meta.url));
/** The room, whose agreement column is imported when it opens. */
const ROOM = '/sessions/[id]/room';

type Page = { label: string; route: string };
const PAGES: Page[] = [
	{ label: 'apply (申请调解)', route: '/apply' },
	{ label: 'track (案件进度)', route: '/track/[token]' },
	{ label: 'join (会议邀请)', route: '/join/[token]' },
	{ label: 'room: device check, lobby, meeting', route: ROOM },
	{ label: 'agreement and signing', route: '/cases/[id]/agreement' },
	{ label: 'verify (核验协议)', route: '/verify' }
];

type ViteChunk = { file: string; imports?: string[]; dynamicImports?: string[]; css?: string[] };
type Weight = { files: number; raw: number; gzip: number; brotli: number; jsBrotli: number };

const arrayAfter = (text: string, name: string): string[] => {
	const found = new RegExp(`${name}\\s*[:=]\\s*(\\[[^\\]]*\\])`).exec(text);
	if (!found) throw new Error(`no ${name} in the build's manifest`);
	return JSON.parse(found[1]) as string[];
};

/** The client entry's files, and each route's page nodes (layouts, then the leaf), from SvelteKit's server manifest. */
async function serverManifest() {
	const text = await readFile(`${OUTPUT}server/manifest.js`, 'utf8');
	const client = text.slice(text.indexOf('client:'), text.indexOf('nodes:'));
	const entry = [...arrayAfter(client, 'imports'), ...arrayAfter(client, 'stylesheets')];
	const nodesOf = (route: string): number[] => {
		const at = text.indexOf(`id: ${JSON.stringify(route)},`);
		const page =
			at === -1 ? null : /page: \{ layouts: \[([^\]]*)\], errors: \[[^\]]*\], leaf: (\d+) \}/.exec(text.slice(at));
		if (!page) throw new Error(`no page ${route} in the build`);
		return [...(page[1].match(/\d+/g) ?? []).map(Number), Number(page[2])];
	};
	return { entry, nodesOf };
}

async function nodeFiles(node: number): Promise<string[]> {
	const text = await readFile(`${OUTPUT}server/nodes/${node}.js`, 'utf8');
	return [...arrayAfter(text, 'imports'), ...arrayAfter(text, 'stylesheets')];
}

/** What a page node imports when asked (the room: its agreement column), from Vite's client manifest. */
async function onDemandFiles(node: number): Promise<string[]> {
	const manifest = JSON.parse(await readFile(`${OUTPUT}client/.vite/manifest.json`, 'utf8')) as Record<
		string,
		ViteChunk
	>;
	const files = new Set<string>();
	const visit = (key: string) => {
		const chunk = manifest[key];
		if (files.has(chunk.file)) return;
		files.add(chunk.file);
		for (const css of chunk.css ?? []) files.add(css);
		for (const imported of chunk.imports ?? []) visit(imported);
	};
	for (const key of manifest[`.svelte-kit/generated/client-optimized/nodes/${node}.js`].dynamicImports ?? [])
		visit(key);
	return [...files];
}

const compressed = new Map<string, Omit<Weight, 'files'>>();
async function weigh(files: Iterable<string>): Promise<Weight> {
	const weight: Weight = { files: 0, raw: 0, gzip: 0, brotli: 0, jsBrotli: 0 };
	for (const file of new Set(files)) {
		if (!compressed.has(file)) {
			const bytes = await readFile(`${OUTPUT}client/${file}`);
			const brotli = brotliCompressSync(bytes, {
				params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY }
			}).length;
			compressed.set(file, {
				raw: bytes.length,
				gzip: gzipSync(bytes, { level: 9 }).length,
				brotli,
				jsBrotli: file.endsWith('.js') ? brotli : 0
			});
		}
		const sizes = compressed.get(file)!;
		weight.files++;
		weight.raw += sizes.raw;
		weight.gzip += sizes.gzip;
		weight.brotli += sizes.brotli;
		weight.jsBrotli += sizes.jsBrotli;
	}
	return weight;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const row = (label: string, w: Weight) =>
	`| ${label} | ${w.files} | ${kb(w.raw)} | ${kb(w.gzip)} | ${kb(w.brotli)} | ${kb(w.jsBrotli)} |`;

export async function benchPageWeight(): Promise<string> {
	if (!existsSync(`${OUTPUT}server/manifest.js`)) throw new Error('no build: run `npm run build` first');
	const { entry, nodesOf } = await serverManifest();
	const loaded = async (route: string) => [...entry, ...(await Promise.all(nodesOf(route).map(nodeFiles))).flat()];
	const rows: string[] = [];
	for (const page of PAGES) {
		const files = await loaded(page.route);
		console.log(`  ${page.route}`);
		rows.push(row(`${page.label} \`${page.route}\``, await weigh(files)));
		if (page.route !== ROOM) continue;
		const column = (await onDemandFiles(nodesOf(ROOM).at(-1)!)).filter((file) => !files.includes(file));
		if (!column.length) continue;
		rows.push(row('room: the agreement column, when it opens', await weigh(column)));
		rows.push(
			row('room with the agreement column (the editor loaded up front, as before)', await weigh([...files, ...column]))
		);
	}
	return [
		'What each page loads when it opens: the client entry, its layouts and its page with every static',
		'import, as the build lists them for its modulepreload and stylesheet links; each file compressed on',
		'its own (gzip level 9, brotli quality 11), sizes in KiB. The device check, the lobby and the meeting',
		'are one page; the room loads the agreement editor (Tiptap, ProseMirror, Yjs) only when its',
		'agreement column opens.',
		'',
		'| page | files | raw | gzip | brotli | of which JavaScript, brotli |',
		'| --- | ---: | ---: | ---: | ---: | ---: |',
		...rows
	].join('\n');
}
