/**
 * Binding and sealing a case file: 40 pages of documents and 10 camera photos of about 3 MB each,
 * through the real path (DocumentSealer's worker thread: the binder, photos scaled for print by
 * sharp, PAdES seal), against the same file with the photos embedded as taken, in the same run.
 */
import sharp from 'sharp';
import { DocumentSealer } from '#server/signing/document-sealer.ts';
import type { PhotoEmbedding } from '#server/signing/pdf/build-dossier-pdf.ts';
import type { DossierPdfInput } from '#server/signing/pdf/dossier-pdf-input.ts';
import { createSealKey } from '#server/signing/seal-keys/create-seal-key.ts';
import { readPdfSeal } from '#server/signing/verification/read-pdf-seal.ts';
import { createLogger } from '#server/log.ts';
import { agreementInput, SEAL_PASSPHRASE, withParagraphs } from '../support/signing-samples.ts';

export const dossierSectionTitle = 'Case file: bind and seal a 卷宗 with photos';

const RUNS = 5;
const PHOTOS = 10;
const TARGET = { ms: 3000, mb: 8 } as const;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const ms = (value: number) => value.toFixed(0);

/** A camera photo of about 3 MB: 4000×3000 of noise over a gradient, as JPEG at quality 70. */
async function cameraPhoto(seed: number): Promise<Uint8Array> {
	const noise = await sharp({
		create: {
			width: 4000,
			height: 3000,
			channels: 3,
			background: '#808080',
			noise: { type: 'gaussian', mean: 110 + seed * 5, sigma: 28 }
		}
	})
		.jpeg({ quality: 70 })
		.toBuffer();
	return new Uint8Array(noise);
}

/** Sealed documents of about ten pages each, as they are bound in. */
async function sealedDocuments(sealer: DocumentSealer, key: ReturnType<typeof createSealKey>, pages: number) {
	const paragraphs = Array.from({ length: 36 }, (_, i) =>
		`${i + 1}. 双方就排水沟的修缮、费用分担和日后维护达成一致意见，由村委会监督履行。`.repeat(3)
	);
	const documents: Uint8Array[] = [];
	let total = 0;
	while (total < pages) {
		const sealed = await sealer.seal(agreementInput(withParagraphs(paragraphs)), key);
		documents.push(sealed.pdf);
		total += sealed.pages;
	}
	return { documents, total };
}

async function round(
	sealer: DocumentSealer,
	key: ReturnType<typeof createSealKey>,
	input: DossierPdfInput,
	photos: PhotoEmbedding
) {
	await sealer.sealDossier(input, key, { photos });
	const times: number[] = [];
	let size = 0;
	let pages = 0;
	let peakRss = 0;
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
	const before = process.memoryUsage.rss();
	for (let run = 0; run < RUNS; run++) {
		const start = performance.now();
		const sealed = await sealer.sealDossier(input, key, { photos });
		times.push(performance.now() - start);
		if (!(await readPdfSeal(sealed.pdf)).intact) throw new Error('the case file is not sealed intact');
		size = sealed.pdf.byteLength;
		pages = sealed.pages;
	}
	clearInterval(sampler);
	times.sort((a, b) => a - b);
	console.log(`  ${photos}: median ${ms(times[Math.floor(RUNS / 2)])} ms, ${mb(size)} MB, ${pages} pages`);
	return { photos, times, size, pages, rssGrowth: peakRss - before };
}

export async function benchDossier(): Promise<string> {
	const key = createSealKey({ organisation: '青山镇人民调解委员会', passphrase: SEAL_PASSPHRASE });
	const sealer = new DocumentSealer({ log: createLogger({ logLevel: 'warn' }) });
	try {
		const photos = await Promise.all(Array.from({ length: PHOTOS }, (_, i) => cameraPhoto(i)));
		const { documents, total } = await sealedDocuments(sealer, key, 34);
		const input: DossierPdfInput = {
			fileNumber: '（2026）青山镇人调字第12号',
			title: '张三与李四相邻排水纠纷',
			caseNumber: '2026-QSZ-000123',
			committee: '青山镇人民调解委员会',
			mediators: ['王调解', '赵调解'],
			firstDocumentAt: new Date('2026-11-01T02:00:00Z'),
			lastDocumentAt: new Date('2026-12-06T02:00:00Z'),
			filedBy: '王调解',
			filedAt: new Date('2026-12-06T02:00:00Z'),
			retention: '30年',
			parts: [
				{
					type: 'text',
					title: '人民调解申请书',
					blocks: Array.from({ length: 60 }, (_, i) => ({
						prefix: `${i + 1}. `,
						text: '申请人陈述纠纷经过及请求事项。'.repeat(6)
					}))
				},
				...documents.map((pdf) => ({ type: 'pdf' as const, title: '人民调解协议书', pdf })),
				{
					type: 'photos',
					title: '证据照片',
					photos: photos.map((image, i) => ({ caption: `${i + 1}. 现场照片 IMG_${2000 + i}.jpg`, image }))
				}
			],
			verificationUrl: 'https://tiaojie.example.gov.cn/verify?document=00000000-0000-4000-8000-000000000000'
		};
		const photoBytes = photos.reduce((sum, photo) => sum + photo.byteLength, 0);
		const project = await round(sealer, key, input, 'print');
		const reference = await round(sealer, key, input, 'original');
		const rows = [project, reference].map((result) => {
			const median = result.times[Math.floor(RUNS / 2)];
			const print = result.photos === 'print';
			return [
				print ? 'project' : 'reference',
				print ? 'photos scaled for print (150 dpi, sharp)' : 'photos embedded as taken',
				RUNS,
				ms(median),
				ms(result.times.at(-1)!),
				mb(result.size),
				result.pages,
				mb(result.rssGrowth),
				print
					? `< ${TARGET.ms} ms ${result.times.at(-1)! < TARGET.ms ? '✓' : '✗'}, < ${TARGET.mb} MB ${result.size / 1024 / 1024 < TARGET.mb ? '✓' : '✗'}`
					: ''
			];
		});
		const header = [
			'Kind',
			'Photos',
			'Runs',
			'median ms',
			'max ms',
			'Size MB',
			'Pages',
			'Peak RSS growth MB',
			'Target'
		];
		const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
		return [
			'Reproduce: `npm run bench -- --only case file`.',
			`The case file: an application of ${project.pages - total - PHOTOS - 3} pages set by the binder, ${documents.length} sealed agreements bound in page by page (${total} pages), and ${PHOTOS} camera photos (4000×3000 JPEG, ${mb(photoBytes)} MB together, ${mb(photoBytes / PHOTOS)} MB each), with cover, contents and back cover. ` +
				`Each call goes through \`DocumentSealer.sealDossier\`: structured clone of the parts to the worker thread, the binder (pdf-lib, Noto Serif SC cut by HarfBuzz, bound-in pages copied without their form fields), each photo turned upright and scaled to print at 150 dpi inside its box by sharp (the originals stay with the case as evidence), the PAdES seal, and back; one uncounted call first, then ${RUNS} one after another. ` +
				`The reference binds the same file with the photos embedded as taken. _Peak RSS growth_: the process's resident memory at its highest during the counted calls, above where it stood before them (the worker thread and sharp's native memory included).`,
			table
		].join('\n\n');
	} finally {
		await sealer.close();
	}
}
