/**
 * What each PAdES level adds to a seal: the same agreement PDF sealed at B-B (no authority) and at
 * B-LT (stamped by a timestamp authority on the machine, validation data added), and the
 * authority's round trip alone, so that the app's own share of the extra time shows.
 */
import { randomBytes } from 'node:crypto';
import { requestTimestamp } from '#server/signing/pades/request-timestamp.ts';
import { buildDocumentPdf } from '#server/signing/pdf/build-document-pdf.ts';
import { createSealKey } from '#server/signing/seal-keys/create-seal-key.ts';
import { sealPdf, type SealDetails } from '#server/signing/seal-keys/seal-pdf.ts';
import { readPdfSeal } from '#server/signing/verification/read-pdf-seal.ts';
import { agreementInput, SEAL_PASSPHRASE } from '../support/signing-samples.ts';
import { startTimestampAuthority } from '../support/timestamp-authority.ts';

export const sealLevelsSectionTitle = 'Seal levels: the extra time of a timestamp and validation data';

const RUNS = 20;
const ms = (value: number) => value.toFixed(1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const max = (values: number[]) => Math.max(...values);

async function timed(run: () => Promise<unknown>): Promise<number[]> {
	await run(); // uncounted: warms the key cache and the code paths
	const times: number[] = [];
	for (let index = 0; index < RUNS; index++) {
		const start = performance.now();
		await run();
		times.push(performance.now() - start);
	}
	return times;
}

export async function benchSealLevels(): Promise<string> {
	const key = createSealKey({ organisation: '青山镇人民调解委员会', passphrase: SEAL_PASSPHRASE });
	const { pdf } = await buildDocumentPdf(agreementInput());
	const authority = await startTimestampAuthority();
	const details = (): SealDetails => ({
		name: '青山镇人民调解委员会',
		location: '青山镇',
		reason: '人民调解协议书 2026-QSZ-000123',
		signingTime: new Date()
	});
	try {
		const bb = await timed(() => sealPdf(pdf, key, details()));
		const blt = await timed(async () => {
			const sealed = await sealPdf(pdf, key, { ...details(), timestampAuthority: { url: authority.url } });
			if (sealed.level !== 'B-LT' || !(await readPdfSeal(sealed.pdf)).intact)
				throw new Error('not an intact B-LT seal');
		});
		const roundTrip = await timed(() => requestTimestamp({ url: authority.url }, randomBytes(256)));
		const extra = median(blt) - median(bb);
		const ownShare = extra - median(roundTrip);
		console.log(`  B-B ${ms(median(bb))} ms, B-LT ${ms(median(blt))} ms, round trip ${ms(median(roundTrip))} ms`);
		const rows = [
			['B-B', 'the seal alone (PKI.js CMS, RSA-2048)', ms(median(bb)), ms(max(bb))],
			['B-LT', 'stamped by the local authority, /DSS added', ms(median(blt)), ms(max(blt))],
			['round trip', 'one request to the local authority, checked', ms(median(roundTrip)), ms(max(roundTrip))]
		];
		const table = [['Seal', 'What', 'median ms', 'max ms'], ['---', '---', '---', '---'], ...rows]
			.map((row) => `| ${row.join(' | ')} |`)
			.join('\n');
		return [
			'Reproduce: `npm run bench -- --only seal levels` (OpenSSL answers as the authority).',
			`One 3-page agreement PDF, built once, sealed ${RUNS} times at each level in the calling thread (one uncounted call first). ` +
				'The local authority is `openssl ts -reply` behind a small HTTP server (tests/support/timestamp-authority.ts): each request starts an OpenSSL process, so its round trip is mostly that process, not the network a real authority adds.',
			table,
			`Extra time of B-LT over B-B: ${ms(extra)} ms at the median, of which the authority's round trip is ${ms(median(roundTrip))} ms; the app's own share (the stamp's checks, the second save with the validation data) is ${ms(ownShare)} ms.`
		].join('\n\n');
	} finally {
		await authority.close();
	}
}
