import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSealKey } from '../../server/signing/seal-keys/create-seal-key.ts';
import { readPdfSeal } from '../../server/signing/verification/read-pdf-seal.ts';
import { sealedAgreementFile } from '../support/e2e-state.ts';
import { expect, test, zh } from '../support/e2e-test.ts';

const TOWN_COMMITTEE = '青石镇人民调解委员会';

test('an anonymous visitor verifies a sealed agreement, and an altered copy is refused', async ({ page }) => {
	const sealed = readFileSync(sealedAgreementFile());
	const altered = Buffer.from(sealed);
	altered[2000] ^= 0x01;
	const sealedOn = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'long' }).format(
		(await readPdfSeal(sealed)).signedAt!
	);

	await page.goto('/verify');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('verify_title'));

	await test.step('the sealed PDF is authentic, of the town committee, sealed that day', async () => {
		await page
			.getByLabel(zh('verify_file'))
			.setInputFiles({ name: '调解协议书.pdf', mimeType: 'application/pdf', buffer: sealed });
		await page.getByRole('button', { name: zh('verify_upload_submit') }).click();
		const result = page.getByRole('status');
		await expect(result).toHaveAttribute('data-status', 'authentic');
		await expect(result).toContainText(zh('verify_status_authentic'));
		await expect(result).toContainText(TOWN_COMMITTEE);
		await expect(result).toContainText(sealedOn);
		// The demo has no timestamp authority: its seals are PAdES B-B, and the page says what that means.
		await expect(result.locator('[data-level="B-B"]')).toHaveText(zh('verify_level_b_b'));
		// Nothing of the agreement itself: no party, no case number.
		await expect(result).not.toContainText('张三');
		await expect(result).not.toContainText('2026-QSZ');
	});

	await test.step('its SHA-256 typed in finds it too', async () => {
		await page.getByLabel(zh('verify_sha256')).fill(createHash('sha256').update(sealed).digest('hex'));
		await page.getByRole('button', { name: zh('verify_hash_submit') }).click();
		await expect(page.getByRole('status')).toHaveAttribute('data-status', 'authentic');
		await expect(page.getByRole('status')).toContainText(TOWN_COMMITTEE);
	});

	await test.step('a copy with one byte changed is not authentic', async () => {
		await page
			.getByLabel(zh('verify_file'))
			.setInputFiles({ name: '调解协议书.pdf', mimeType: 'application/pdf', buffer: altered });
		await page.getByRole('button', { name: zh('verify_upload_submit') }).click();
		const result = page.getByRole('status');
		await expect(result).toHaveAttribute('data-status', 'altered');
		await expect(result).toContainText(zh('verify_status_altered'));
		await expect(result).not.toContainText(TOWN_COMMITTEE);
	});

	await test.step('a file that is no PDF gets a clear error', async () => {
		await page
			.getByLabel(zh('verify_file'))
			.setInputFiles({ name: 'photo.pdf', mimeType: 'application/pdf', buffer: Buffer.from('GIF89a') });
		await page.getByRole('button', { name: zh('verify_upload_submit') }).click();
		await expect(page.getByText(zh('verify_error_file_type'))).toBeVisible();
		await expect(page.getByRole('status')).toHaveCount(0);
	});
});

test('a script posts a PDF to /verify without an Origin and gets JSON; other form posts from elsewhere are refused', async ({
	playwright,
	baseURL
}) => {
	// A request context of its own: no browser page, so no Origin header, as curl sends.
	const script = await playwright.request.newContext({ baseURL });
	const sealed = readFileSync(sealedAgreementFile());
	const response = await script.post('/verify', {
		headers: { accept: 'application/json' },
		multipart: { file: { name: 'agreement.pdf', mimeType: 'application/pdf', buffer: sealed } }
	});
	expect(response.status()).toBe(200);
	expect(await response.json()).toMatchObject({ status: 'authentic', organisation: expect.any(String) });
	const login = await script.post('/login', {
		headers: { origin: 'https://elsewhere.example' },
		form: { username: 'admin', password: 'whatever' }
	});
	expect(login.status()).toBe(403);
	await script.dispose();
});

test('an admin imports a .p12 as the town committee’s seal, after a wrong passphrase is refused', async ({
	page,
	loginAs
}) => {
	const organisation = `青石镇司法所${Date.now().toString(36)}`;
	const passphrase = 'e2e import passphrase';
	const seal = createSealKey({ organisation, passphrase });
	const p12 = { name: 'seal.p12', mimeType: 'application/x-pkcs12', buffer: Buffer.from(seal.p12) };
	await loginAs('admin');

	await page.getByRole('link', { name: zh('nav_seal') }).click();
	await expect(page).toHaveURL('/admin/seal');
	const town = page.locator('article[data-node="青石镇"]');
	await expect(town.locator('dl.certificate').first()).toContainText(zh('seal_source_generated'));

	await test.step('a wrong passphrase is refused at its field, and the seal stays', async () => {
		await town.getByText(zh('seal_import'), { exact: true }).click();
		await town.getByLabel(zh('seal_import_file')).setInputFiles(p12);
		await town.getByLabel(zh('seal_import_passphrase')).fill('not the passphrase');
		await town.getByRole('button', { name: zh('seal_import_submit') }).click();
		await expect(
			page.locator('article[data-node="青石镇"]').getByText(zh('seal_error_wrong_passphrase'))
		).toBeVisible();
		await expect(page.locator(`dl[data-fingerprint="${seal.certificate.fingerprint}"]`)).toHaveCount(0);
	});

	await test.step('the right passphrase imports it as the current seal', async () => {
		const form = page.locator('article[data-node="青石镇"]');
		await form.getByLabel(zh('seal_import_file')).setInputFiles(p12);
		await form.getByLabel(zh('seal_import_passphrase')).fill(passphrase);
		await form.getByRole('button', { name: zh('seal_import_submit') }).click();
		await expect(page.getByRole('status')).toHaveText(zh('seal_imported'));
		const current = page.locator('article[data-node="青石镇"] > dl.certificate');
		await expect(current).toHaveAttribute('data-fingerprint', seal.certificate.fingerprint);
		await expect(current).toContainText(organisation);
		await expect(current).toContainText(zh('seal_source_imported'));
	});
});
