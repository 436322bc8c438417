import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, logIn, test, zh } from '../support/e2e-test.ts';

/**
 * Signing in three browsers. Only this file uses the 东村 air-conditioner case (周晓梅 v 吴国庆,
 * accepted, handled by 李明华; both parties have demo accounts): the mediator freezes the
 * agreement and signs with a mouse, the parties sign (one with a finger), and the sealed PDF
 * downloads for them and for nobody else.
 */
const MEDIATOR = '李明华';
const APPLICANT = '周晓梅';
const RESPONDENT = '吴国庆';

const signingOf = (page: Page) => page.locator('section.signing');

/** Opens the case's agreement page from the mediator's case list; returns the case page's path. */
async function openAgreement(page: Page): Promise<string> {
	await page.goto('/cases');
	await page.getByRole('row').filter({ hasText: RESPONDENT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	const casePath = new URL(page.url()).pathname;
	await page.goto(`${casePath}/agreement`);
	return casePath;
}

/** Draws a stroke on the signature pad: with the mouse, or with a finger. */
async function draw(page: Page, by: 'mouse' | 'touch'): Promise<void> {
	const pad = signingOf(page).locator('canvas');
	const box = (await pad.boundingBox())!;
	const points = Array.from({ length: 12 }, (_, i) => ({
		x: box.x + 20 + i * 15,
		y: box.y + box.height / 2 + Math.sin(i) * 20
	}));
	if (by === 'mouse') {
		await page.mouse.move(points[0].x, points[0].y);
		await page.mouse.down();
		for (const point of points.slice(1)) await page.mouse.move(point.x, point.y);
		await page.mouse.up();
		return;
	}
	// A real touch, as a phone's screen gives it: Chromium turns it into touch pointer events.
	const cdp = await page.context().newCDPSession(page);
	const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', point?: { x: number; y: number }) =>
		cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [point] : [] });
	await touch('touchStart', points[0]);
	for (const point of points.slice(1)) await touch('touchMove', point);
	await touch('touchEnd');
}

async function sign(page: Page, secret: string, by: 'mouse' | 'touch'): Promise<void> {
	const signing = signingOf(page);
	await signing.getByText(zh('sign_have_read')).click();
	await draw(page, by);
	await signing.getByLabel(zh('sign_password')).fill(secret);
	await signing.getByRole('button', { name: zh('sign_submit'), exact: true }).click();
}

const signedRow = (page: Page, name: string) => signingOf(page).locator(`li[data-signer="${name}"]`);

test('the mediator freezes the agreement, everyone signs on their own device, and the sealed PDF downloads', async ({
	page,
	otherPage: applicant,
	browser,
	demo
}) => {
	test.setTimeout(180_000);
	await logIn(page, 'mediator', demo.password);
	const casePath = await openAgreement(page);
	await expect(signingOf(page)).toContainText(zh('sign_nothing_frozen'));

	await test.step('the mediator saves and freezes a version; signing opens for everyone', async () => {
		const versions = page.locator('.draft-versions');
		await versions.getByLabel(zh('draft_version_name')).fill('签署稿');
		await versions.getByRole('button', { name: zh('draft_version_save') }).click();
		page.once('dialog', (dialog) => void dialog.accept());
		await versions
			.locator('li[data-version="签署稿"]')
			.getByRole('button', { name: zh('draft_version_freeze') })
			.click();
		for (const name of [APPLICANT, RESPONDENT, MEDIATOR])
			await expect(signedRow(page, name)).toHaveAttribute('data-signed', 'false');
	});

	await test.step('a wrong password signs nothing; the right one does, and the pad was drawn with a mouse', async () => {
		await sign(page, 'not-the-password', 'mouse');
		await expect(signingOf(page).getByRole('alert')).toHaveText(zh('sign_wrong_secret'));
		await signingOf(page).getByLabel(zh('sign_password')).fill(demo.password);
		await signingOf(page)
			.getByRole('button', { name: zh('sign_submit'), exact: true })
			.click();
		await expect(signedRow(page, MEDIATOR)).toHaveAttribute('data-signed', 'true');
	});

	await test.step('the applicant reads the frozen text and signs; the mediator sees it at once', async () => {
		await logIn(applicant, 'party2', demo.password);
		await applicant.goto(`${casePath}/agreement`);
		await signingOf(applicant)
			.getByText(zh('sign_read_text', { name: '签署稿' }))
			.click();
		await expect(signingOf(applicant).locator('.frozen-text')).toContainText(RESPONDENT);
		await sign(applicant, demo.password, 'mouse');
		await expect(signedRow(page, APPLICANT)).toHaveAttribute('data-signed', 'true');
	});

	const respondent = await (await browser.newContext({ hasTouch: true, isMobile: true })).newPage();
	await test.step('the respondent signs with a finger on a phone; the agreement is sealed for all', async () => {
		await logIn(respondent, 'party3', demo.password);
		await respondent.goto(`${casePath}/agreement`);
		await sign(respondent, demo.password, 'touch');
		for (const viewer of [page, applicant, respondent])
			await expect(signingOf(viewer).locator('.sealed')).toBeVisible({ timeout: 30_000 });
	});

	await test.step('the parties download the sealed PDF; an admin of the committee may not', async () => {
		const href = (await signingOf(applicant)
			.getByRole('link', { name: zh('sign_download') })
			.getAttribute('href'))!;
		const response = await applicant.request.get(href);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('application/pdf');
		// Saved under its Chinese name, with an ASCII one for clients that do not read filename*.
		const disposition = response.headers()['content-disposition'];
		const caseNumber = /filename="agreement-(\d{4}-[A-Z]+-\d{6})\.pdf"/.exec(disposition)?.[1];
		expect(disposition).toBe(
			`attachment; filename="agreement-${caseNumber}.pdf"; filename*=UTF-8''${encodeURIComponent(`人民调解协议书-${caseNumber}.pdf`)}`
		);
		// Sealed: nobody is listed as still to sign.
		await expect(signingOf(applicant).getByText(zh('sign_waiting'))).toHaveCount(0);
		const pdf = await response.body();
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(createHash('sha256').update(pdf).digest('hex')).toBe(response.headers()['x-content-sha256']);

		await page.goto(casePath);
		await expect(page.locator('.sealed-agreement')).toBeVisible();
		await expect(page.locator('.sealed-agreement').getByRole('link', { name: zh('sign_download') })).toHaveAttribute(
			'href',
			href
		);

		const admin = await (await browser.newContext()).newPage();
		await logIn(admin, 'admin', demo.password);
		expect((await admin.request.get(href)).status()).toBe(403);
	});
});
