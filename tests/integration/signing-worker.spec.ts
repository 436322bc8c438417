import { afterAll, describe, expect, it } from 'vitest';
import { DocumentSealer } from '#server/signing/document-sealer.ts';
import { createSealKey } from '#server/signing/seal-keys/create-seal-key.ts';
import { readPdfSeal } from '#server/signing/verification/read-pdf-seal.ts';
import { capturingLogger } from '../support/capturing-logger.ts';
import { agreementInput, SEAL_PASSPHRASE, sha256, withParagraphs } from '../support/signing-samples.ts';

const seal = createSealKey({ organisation: '青山镇人民调解委员会', passphrase: SEAL_PASSPHRASE });

describe('sealing on the worker thread', () => {
	const { log, lines } = capturingLogger();
	const sealer = new DocumentSealer({ log });
	afterAll(() => sealer.close());

	it('builds and seals the agreement off the event loop, which keeps turning meanwhile', async () => {
		let ticks = 0;
		const timer = setInterval(() => ticks++, 5);
		const sealed = await sealer.seal(agreementInput(), seal);
		clearInterval(timer);
		expect(ticks).toBeGreaterThan(2);
		expect(sealed.sha256).toBe(sha256(sealed.pdf));
		expect(sealed.pages).toBe(3);
		expect(sealed.replacedCharacters).toEqual([]);
		expect(await readPdfSeal(sealed.pdf)).toMatchObject({
			intact: true,
			organisation: '青山镇人民调解委员会',
			certificateFingerprint: seal.certificate.fingerprint
		});
	});

	it('runs calls made together one after another, each getting its own agreement', async () => {
		const numbers = ['2026-QSZ-000201', '2026-QSZ-000202', '2026-QSZ-000203'];
		const results = await Promise.all(numbers.map((caseNumber) => sealer.seal(agreementInput({ caseNumber }), seal)));
		expect(new Set(results.map((result) => result.sha256)).size).toBe(3);
		for (const result of results) expect((await readPdfSeal(result.pdf)).intact).toBe(true);
	});

	it('rejects bad input and a wrong passphrase with field codes, and goes on working', async () => {
		await expect(sealer.seal(agreementInput({ signers: [] }), seal)).rejects.toMatchObject({
			code: 'VALIDATION',
			fields: { signers: expect.any(Array) }
		});
		await expect(sealer.seal(agreementInput(), { ...seal, passphrase: 'not it' })).rejects.toMatchObject({
			code: 'VALIDATION',
			fields: { passphrase: ['wrong_passphrase'] }
		});
		const notCloneable = { ...agreementInput(), title: (() => '标题') as unknown as string };
		await expect(sealer.seal(notCloneable, seal)).rejects.toMatchObject({
			code: 'VALIDATION',
			fields: { input: ['not_cloneable'] }
		});
		expect((await sealer.seal(agreementInput(), seal)).pages).toBe(3);
	});

	it('reports and logs the characters no font has', async () => {
		const sealed = await sealer.seal(agreementInput(withParagraphs(['附言：😀'])), seal);
		expect(sealed.replacedCharacters).toEqual(['😀']);
		expect(lines).toContainEqual(
			expect.objectContaining({ level: 40, caseNumber: '2026-QSZ-000123', characters: ['😀'] })
		);
	});
});

describe('closing the sealer', () => {
	it('rejects the job in progress and every later one, and may be called twice', async () => {
		const sealer = new DocumentSealer({ log: capturingLogger().log });
		const running = sealer.seal(agreementInput(), seal);
		await sealer.close();
		await expect(running).rejects.toMatchObject({ code: 'INTERNAL' });
		await expect(sealer.seal(agreementInput(), seal)).rejects.toMatchObject({ code: 'INTERNAL' });
		await sealer.close();
	});
});
