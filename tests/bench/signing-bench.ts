/**
 * Building and sealing an agreement: time and size of a three-page agreement with about 800
 * distinct hanzi, through the real path (DocumentSealer's worker thread: layout, HarfBuzz subset,
 * PAdES seal), against the same document with the whole CJK font embedded, in the same run.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DocumentSealer } from '#server/signing/document-sealer.ts';
import type { FontEmbedding } from '#server/signing/pdf/page-writer.ts';
import { createSealKey } from '#server/signing/seal-keys/create-seal-key.ts';
import { readPdfSeal } from '#server/signing/verification/read-pdf-seal.ts';
import { createLogger } from '#server/log.ts';
import { agreementInput, agreementText, SEAL_PASSPHRASE, withParagraphs } from '../support/signing-samples.ts';

export const signingSectionTitle = 'Signing: build and seal an agreement PDF';

const RUNS = 20;
const WARM_UP = 3;
const IDLE_MS = 3000;
const DISTINCT_HANZI = 800;
const TARGET = { p95Ms: 500, sizeKb: 400 } as const;

const hanziOf = (text: string) => new Set(text.match(/\p{Script=Han}/gu));

/** Common hanzi not in `taken`: GB 2312 level 1 (3,755 characters in rows 16–55), every fourth one. */
function commonHanzi(count: number, taken: Set<string>): string[] {
	const decoder = new TextDecoder('gbk');
	const characters: string[] = [];
	for (let row = 0xb0; row <= 0xd7; row++) {
		for (let column = 0xa1; column <= 0xfe; column++) characters.push(decoder.decode(new Uint8Array([row, column])));
	}
	return characters.filter((char, index) => index % 4 === 0 && !taken.has(char)).slice(0, count);
}

/**
 * The sample agreement with clauses added of further characters, each used once, in runs of 18
 * between punctuation, until the text holds DISTINCT_HANZI different hanzi.
 */
function benchParagraphs(): string[] {
	const taken = hanziOf(agreementText());
	const hanzi = commonHanzi(DISTINCT_HANZI - taken.size, taken);
	const clauses: string[] = [];
	for (let at = 0; at < hanzi.length; at += 36) {
		const part = hanzi.slice(at, at + 36);
		clauses.push(`${clauses.length + 1}. ${part.slice(0, 18).join('')}，${part.slice(18).join('')}。`);
	}
	return clauses;
}

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value: number) => value.toFixed(0);
const kb = (bytes: number) => (bytes / 1024).toFixed(0);

type LoopDelay = { p99: number; max: number };
type Round = { embedding: FontEmbedding; times: number[]; size: number; pages: number; loopDelay: LoopDelay };

/** How long this thread's event loop waited while `work` ran (10 ms resolution): what a live room would feel. */
async function loopDelayDuring<T>(work: () => Promise<T>): Promise<{ result: T; loopDelay: LoopDelay }> {
	const histogram = monitorEventLoopDelay({ resolution: 10 });
	histogram.enable();
	const result = await work();
	histogram.disable();
	return { result, loopDelay: { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 } };
}

async function round(
	sealer: DocumentSealer,
	embedding: FontEmbedding,
	key: ReturnType<typeof createSealKey>
): Promise<Round> {
	const input = agreementInput(withParagraphs(benchParagraphs()));
	for (let run = 0; run < WARM_UP; run++) await sealer.seal(input, key, { embedding });
	const times: number[] = [];
	const { result: last, loopDelay } = await loopDelayDuring(async () => {
		let sealed: Awaited<ReturnType<DocumentSealer['seal']>> | undefined;
		for (let run = 0; run < RUNS; run++) {
			const start = performance.now();
			sealed = await sealer.seal(input, key, { embedding });
			times.push(performance.now() - start);
		}
		return sealed;
	});
	if (!last || !(await readPdfSeal(last.pdf)).intact)
		throw new Error(`the ${embedding} agreement is not sealed intact`);
	console.log(
		`  ${embedding}: p50 ${ms(percentile(times, 50))} ms, ${kb(last.pdf.byteLength)} KB, ${last.pages} pages`
	);
	return { embedding, times, size: last.pdf.byteLength, pages: last.pages, loopDelay };
}

export async function benchSigning(): Promise<string> {
	const text = agreementText(benchParagraphs());
	const distinct = hanziOf(text).size;
	const key = createSealKey({ organisation: '青山镇人民调解委员会', passphrase: SEAL_PASSPHRASE });
	const sealer = new DocumentSealer({ log: createLogger({ logLevel: 'warn' }) });
	const idle = (await loopDelayDuring(() => new Promise((resolve) => setTimeout(resolve, IDLE_MS)))).loopDelay;
	let rounds: Round[];
	try {
		rounds = [await round(sealer, 'subset', key), await round(sealer, 'full', key)];
	} finally {
		await sealer.close();
	}
	const rows = rounds.map((result) => {
		const p95 = percentile(result.times, 95);
		const subset = result.embedding === 'subset';
		const target = subset
			? `< ${TARGET.p95Ms} ms ${p95 < TARGET.p95Ms ? '✓' : '✗'}, < ${TARGET.sizeKb} KB ${result.size / 1024 < TARGET.sizeKb ? '✓' : '✗'}`
			: '';
		return [
			subset ? 'project' : 'reference',
			subset ? 'subset (HarfBuzz), embedded' : 'whole face, embedded',
			RUNS,
			ms(percentile(result.times, 50)),
			ms(p95),
			ms(Math.max(...result.times)),
			kb(result.size),
			result.pages,
			`${ms(result.loopDelay.p99)} / ${ms(result.loopDelay.max)}`,
			target
		];
	});
	const header = [
		'Kind',
		'Noto Serif SC',
		'Runs',
		'p50 ms',
		'p95 ms',
		'max ms',
		'Size KB',
		'Pages',
		'Main loop delay p99 / max ms',
		'Target'
	];
	const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
	return [
		'Reproduce: `npm run bench -- --only signing` (the fonts come with `npm install`).',
		`The agreement: three parties signing, ${distinct} distinct hanzi (the sample agreement's own, then every fourth character of GB 2312 level 1 not among them, each once, in numbered clauses) with the template's title and headings, signatures on its signature lines, the committee's seal and the signing certificate with QR code. ` +
			`Each call goes through \`DocumentSealer.sealDocument\`: structured clone to the worker thread, layout with pdf-lib, the fonts (Noto Serif SC regular and bold) cut by HarfBuzz (subset-font), PAdES seal (ETSI.CAdES.detached, RSA-2048), and back; ` +
			`${WARM_UP} uncounted calls first, then ${RUNS} one after another. The reference builds the same document with the whole Noto Serif SC faces embedded, on the same worker. ` +
			`_Main loop delay_: how long the calling thread's event loop waited during the counted calls, what a live room on it would feel; idle, over ${IDLE_MS / 1000} s before the first call, it was p99 ${ms(idle.p99)} ms, max ${ms(idle.max)} ms (the machine is shared: the load average is given above).`,
		table
	].join('\n\n');
}
