import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, logIn, test, zh } from '../support/e2e-test.ts';
import { png } from '../support/evidence-samples.ts';

/**
 * Signing on the mediator's tablet in the office (线下调解). Only this file uses the 东村
 * maintenance case (郑桂兰 v 郑国强, handled by 李明华): its mediation is under way in the office
 * with both parties marked present. The mediator gives 郑桂兰 a new PIN, freezes the agreement,
 * hands the tablet to her to sign with it, attests 郑国强's paper signature with a photo, signs,
 * and the agreement is sealed. `SCREENSHOTS=<dir>` keeps pictures of each step.
 */
const APPLICANT = '郑桂兰';
const RESPONDENT = '郑国强';
const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 360, height: 740 };

const signingOf = (page: Page) => page.locator('section.signing');
const stage = (page: Page) => page.getByRole('dialog');

async function picture(page: Page, name: string) {
	const dir = process.env.SCREENSHOTS;
	if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: false });
}

/** Draws a stroke on the signature pad of the signer's step with a finger. */
async function draw(page: Page): Promise<void> {
	const pad = stage(page).locator('canvas');
	const box = (await pad.boundingBox())!;
	const cdp = await page.context().newCDPSession(page);
	const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', point?: { x: number; y: number }) =>
		cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [point] : [] });
	const points = Array.from({ length: 12 }, (_, i) => ({
		x: box.x + 20 + i * 15,
		y: box.y + box.height / 2 + Math.sin(i) * 20
	}));
	await touch('touchStart', points[0]);
	for (const point of points.slice(1)) await touch('touchMove', point);
	await touch('touchEnd');
}

/** Hands the tablet to `name`: their step opens with nothing typed in it. */
async function handTo(page: Page, name: string) {
	await signingOf(page)
		.getByRole('button', { name: zh('in_person_open'), exact: true })
		.click();
	await expect(page.locator(`[data-in-person-signer="${name}"]`)).toBeVisible();
	await picture(page, `pick-${name}-${page.viewportSize()!.width}`);
	await page.locator(`[data-in-person-signer="${name}"]`).click();
	await expect(stage(page)).toContainText(zh('in_person_hand_over', { name }));
	await picture(page, `handover-${name}-${page.viewportSize()!.width}`);
	await stage(page)
		.getByRole('button', { name: zh('in_person_i_am', { name }) })
		.click();
	await stage(page).getByText(zh('sign_have_read')).click();
	await draw(page);
}

test('in the office, the parties sign one after another on the mediator tablet', async ({ browser, demo }) => {
	test.setTimeout(180_000);
	const context = await browser.newContext({ hasTouch: true, viewport: TABLET });
	const page = await context.newPage();
	await logIn(page, 'mediator', demo.password);
	await page.goto('/cases');
	await page.getByRole('row').filter({ hasText: RESPONDENT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	const casePath = new URL(page.url()).pathname;

	const pin =
		await test.step('the case page shows the session in the office and who came; a new PIN for 郑桂兰', async () => {
			const session = page.locator('li[data-session]').filter({ hasText: zh('session_mode_in_person') });
			await expect(session).toContainText('东村人民调解委员会调解室');
			for (const name of [APPLICANT, RESPONDENT])
				await expect(session.locator(`li[data-participant="${name}"]`)).toContainText(zh('session_in_office'));
			await session.scrollIntoViewIfNeeded();
			await picture(page, 'case-session-1024');
			await session
				.locator(`li[data-participant="${APPLICANT}"]`)
				.getByRole('button', { name: zh('session_reissue') })
				.click();
			return (await page.locator('.invitation-pin').first().textContent())!.trim();
		});

	await test.step('the mediator freezes a version to sign', async () => {
		await page.goto(`${casePath}/agreement`);
		const versions = page.locator('.draft-versions');
		await versions.getByLabel(zh('draft_version_name')).fill('签署稿');
		await versions.getByRole('button', { name: zh('draft_version_save') }).click();
		page.once('dialog', (dialog) => void dialog.accept());
		await versions
			.locator('li[data-version="签署稿"]')
			.getByRole('button', { name: zh('draft_version_freeze') })
			.click();
		await expect(signingOf(page).getByRole('button', { name: zh('in_person_open'), exact: true })).toBeVisible();
	});

	await test.step('on a 360 px phone the steps fit too', async () => {
		const phone = await (await browser.newContext({ hasTouch: true, isMobile: true, viewport: PHONE })).newPage();
		await logIn(phone, 'mediator', demo.password);
		await phone.goto(casePath);
		const session = phone.locator('li[data-session]').filter({ hasText: zh('session_mode_in_person') });
		await session.scrollIntoViewIfNeeded();
		await picture(phone, 'case-session-360');
		await phone.goto(`${casePath}/agreement`);
		await handTo(phone, APPLICANT);
		await picture(phone, 'sign-360');
		await phone.context().close();
	});

	await test.step('郑桂兰 signs with her PIN: a wrong one first, then hers', async () => {
		await handTo(page, APPLICANT);
		const secret = stage(page).getByLabel(zh('sign_pin'));
		await secret.fill('000000');
		await stage(page)
			.getByRole('button', { name: zh('sign_submit'), exact: true })
			.click();
		await expect(stage(page).getByRole('alert')).toHaveText(zh('sign_wrong_secret'));
		await secret.fill(pin);
		await picture(page, 'sign-1024');
		await stage(page)
			.getByRole('button', { name: zh('sign_submit'), exact: true })
			.click();
		await expect(stage(page)).toContainText(zh('in_person_done', { name: APPLICANT }));
		await picture(page, 'done-1024');
		await stage(page)
			.getByRole('button', { name: zh('in_person_return') })
			.click();
		await expect(page.locator(`[data-in-person-signer="${APPLICANT}"]`)).toHaveCount(0);
		await expect(signingOf(page).locator(`li[data-signer="${APPLICANT}"]`)).toHaveAttribute('data-signed', 'true');
	});

	await test.step('郑国强 has neither PIN nor password: the mediator attests his paper signature with a photo', async () => {
		await signingOf(page)
			.getByRole('button', { name: zh('in_person_close') })
			.click();
		await handTo(page, RESPONDENT);
		// The PIN field is a new one: nothing 郑桂兰 typed is in it.
		await expect(stage(page).getByLabel(zh('sign_pin'))).toHaveValue('');
		await stage(page)
			.getByRole('button', { name: zh('in_person_no_secret') })
			.click();
		await stage(page).getByLabel(zh('in_person_photo')).setInputFiles({
			name: 'paper.png',
			mimeType: 'image/png',
			buffer: png()
		});
		await stage(page).getByLabel(zh('in_person_mediator_password')).fill(demo.password);
		await picture(page, 'attest-1024');
		await stage(page)
			.getByRole('button', { name: zh('in_person_attest_submit') })
			.click();
		await expect(stage(page)).toContainText(zh('in_person_done', { name: RESPONDENT }));
		await stage(page)
			.getByRole('button', { name: zh('in_person_return') })
			.click();
		await expect(signingOf(page).getByText(zh('in_person_none'))).toBeVisible();
		await signingOf(page)
			.getByRole('button', { name: zh('in_person_close') })
			.click();
	});

	await test.step('the mediator signs on the tablet as themselves; the agreement is sealed', async () => {
		await signingOf(page).getByText(zh('sign_have_read')).click();
		const pad = signingOf(page).locator('form.sign canvas');
		const box = (await pad.boundingBox())!;
		await page.mouse.move(box.x + 20, box.y + 40);
		await page.mouse.down();
		await page.mouse.move(box.x + 120, box.y + 60);
		await page.mouse.up();
		await signingOf(page).getByLabel(zh('sign_password')).fill(demo.password);
		await signingOf(page)
			.getByRole('button', { name: zh('sign_submit'), exact: true })
			.click();
		await expect(signingOf(page).locator('.sealed')).toBeVisible({ timeout: 30_000 });
		const href = (await signingOf(page)
			.getByRole('link', { name: zh('sign_download') })
			.getAttribute('href'))!;
		const pdf = await page.request.get(href);
		expect(pdf.status()).toBe(200);
		const dir = process.env.SCREENSHOTS;
		if (dir) writeFileSync(`${dir}/sealed.pdf`, await pdf.body());
	});
	await context.close();
});
