import AxeBuilder from '@axe-core/playwright';
import type { Browser, Locator, Page } from '@playwright/test';
import { readJudicialParties, type JudicialParties } from '../support/e2e-judicial.ts';
import { expect, field, test, zh } from '../support/e2e-test.ts';

/**
 * Judicial confirmation on two villagers' phones: the demo server gave this test a case of its
 * own (韩晓燕 v 马永强, 东村), its agreement sealed and the application prepared by the mediator.
 * Each party signs on their tracking page with their PIN; the second signature seals the packet.
 */
const PHONE = { width: 360, height: 740 };

// The mediator's test reads what the parties' test did.
test.describe.configure({ mode: 'serial' });

async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ viewport: PHONE, hasTouch: true });
	return context.newPage();
}

/** A picture of what the test looks at (a section, or the page), kept with the test's output and in $SCREENSHOTS. */
async function picture(what: Page | Locator, name: string) {
	const shoot = (path: string) =>
		'goto' in what ? what.screenshot({ path, fullPage: true }) : what.screenshot({ path });
	await shoot(test.info().outputPath(`${name}.png`));
	if (process.env.SCREENSHOTS) await shoot(`${process.env.SCREENSHOTS}/${name}.png`);
}

/** A stroke on the signature pad, with the mouse. */
async function draw(page: Page): Promise<void> {
	const pad = page.locator('[data-testid="track-judicial"] .pad canvas');
	await pad.scrollIntoViewIfNeeded();
	const box = (await pad.boundingBox())!;
	await page.mouse.move(box.x + 20, box.y + box.height / 2);
	await page.mouse.down();
	for (let i = 1; i < 12; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + box.height / 2 + Math.sin(i) * 20);
	await page.mouse.up();
}

async function expectFits(page: Page, what: string): Promise<void> {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width, `${what}: ${width} px wide`).toBeLessThanOrEqual(PHONE.width);
	const { violations } = await new AxeBuilder({ page }).include('[data-testid="track-judicial"]').analyze();
	const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
	expect(grave, what).toEqual([]);
}

test('both parties sign the application for judicial confirmation on their phones, and the packet is sealed', async ({
	browser
}) => {
	test.slow();
	const parties: JudicialParties = readJudicialParties();
	const applicant = await phone(browser);
	const respondent = await phone(browser);
	const section = (page: Page) => page.getByTestId('track-judicial');

	await test.step('the applicant sees the clock and the prepared application', async () => {
		await applicant.goto(`/track/${parties.applicant.token}`);
		await expect(section(applicant).getByText(zh('judicial_clock_left', { days: 30 }))).toBeVisible();
		await expect(section(applicant).getByText('示范县人民法院').first()).toBeVisible();
		// Prefilled from her party details.
		await expect(field(section(applicant), 'judicial_service_address')).toHaveValue('东村8号');
		await expect(field(section(applicant), 'judicial_service_phone')).toHaveValue('13700137001');
		await expectFits(applicant, 'the tracking page before signing');
		await picture(section(applicant), 'judicial-track-360');
	});

	await test.step('a wrong PIN is refused; the right one signs', async () => {
		const form = section(applicant);
		await form.getByLabel(zh('judicial_service_confirm')).check();
		await draw(applicant);
		await field(form, 'sign_pin').fill('000000' === parties.applicant.pin ? '111111' : '000000');
		await form.getByRole('button', { name: zh('judicial_sign_submit') }).click();
		await expect(section(applicant).getByRole('alert').first()).toHaveText(zh('error_invalid_credentials'));
		await section(applicant).getByLabel(zh('judicial_service_confirm')).check();
		await draw(applicant);
		await field(section(applicant), 'sign_pin').fill(parties.applicant.pin);
		await section(applicant)
			.getByRole('button', { name: zh('judicial_sign_submit') })
			.click();
		await expect(section(applicant).getByText(zh('judicial_you_signed'))).toBeVisible();
		await expect(section(applicant).locator(`[data-party="${parties.applicant.name}"]`)).toHaveAttribute(
			'data-signed',
			'true'
		);
		await expect(section(applicant).getByRole('button', { name: zh('judicial_sign_submit') })).toHaveCount(0);
	});

	await test.step('the respondent signs on his phone, and the packet is sealed', async () => {
		await respondent.goto(`/track/${parties.respondent.token}`);
		const form = section(respondent);
		await expect(form.locator(`[data-party="${parties.applicant.name}"]`)).toHaveAttribute('data-signed', 'true');
		await field(form, 'judicial_service_address').fill('东村15号（马家小卖部）');
		await form.getByLabel(zh('judicial_service_confirm')).check();
		await draw(respondent);
		await field(form, 'sign_pin').fill(parties.respondent.pin);
		await picture(section(respondent), 'judicial-sign-360');
		await form.getByRole('button', { name: zh('judicial_sign_submit') }).click();
		const download = section(respondent).getByRole('link', { name: zh('judicial_packet_download') });
		// Sealing prints the packet and binds the agreement in on the signing worker: seconds on a busy machine.
		await expect(download).toBeVisible({ timeout: 60_000 });
		await expectFits(respondent, 'the tracking page once sealed');
		await picture(section(respondent), 'judicial-sealed-360');
		const response = await respondent.request.get((await download.getAttribute('href'))!);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toBe('application/pdf');
		expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
	});

	await test.step('the applicant sees it sealed too', async () => {
		await applicant.reload();
		await expect(section(applicant).getByRole('link', { name: zh('judicial_packet_download') })).toBeVisible();
	});
	await applicant.context().close();
	await respondent.context().close();
});

test('the mediator records the court\u2019s answer on the case page', async ({ page, loginAs }) => {
	const parties: JudicialParties = readJudicialParties();
	await page.setViewportSize(PHONE);
	await loginAs('mediator');
	await page.goto(`/cases/${parties.caseId}`);
	const section = page.getByTestId('case-judicial');
	await expect(section.getByRole('heading', { name: zh('judicial_title') })).toBeVisible();
	await expect(section.getByText('示范县人民法院').first()).toBeVisible();
	// Signed on the phones in the test before, or not yet: either way the mediator sees who has.
	const sealed = section.getByRole('link', { name: zh('judicial_packet_download') });
	if (await sealed.isVisible()) {
		await section.getByRole('button', { name: zh('judicial_answer_submit') }).click();
		await expect(section.getByText(zh('judicial_answer_saved'))).toBeVisible();
		await expect(section.locator('[data-step="filed"]')).not.toHaveText(zh('judicial_answer_not_filed'));
	}
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(PHONE.width);
	await section.scrollIntoViewIfNeeded();
	await section.screenshot({ path: test.info().outputPath('judicial-case-360.png') });
	if (process.env.SCREENSHOTS) await section.screenshot({ path: `${process.env.SCREENSHOTS}/judicial-case-360.png` });
	await page.setViewportSize({ width: 1280, height: 900 });
	if (process.env.SCREENSHOTS)
		await section.screenshot({ path: `${process.env.SCREENSHOTS}/judicial-case-desktop.png` });
});

test('an admin lists the courts of their organisations', async ({ page, loginAs }) => {
	await page.setViewportSize(PHONE);
	await loginAs('admin');
	await page.goto('/admin/courts');
	await expect(page.getByRole('heading', { name: zh('courts_title'), level: 1 })).toBeVisible();
	// The demo's court, listed on the town for the judicial-confirmation case.
	await expect(page.locator('[data-court="示范县人民法院"]')).toBeVisible();
	const node = page.locator('section.node').nth(1);
	await node.getByText(zh('courts_add')).first().click();
	await field(node, 'courts_name').fill('示范县人民法院东村人民法庭');
	await field(node, 'courts_address').fill('东村村委会旁');
	await field(node, 'courts_phone').fill('12345');
	await node.getByRole('button', { name: zh('courts_add') }).click();
	await expect(page.getByText(zh('field_not_a_phone')).first()).toBeVisible();
	await field(page.locator('section.node').nth(1), 'courts_phone').fill('0571-88881234');
	await page
		.locator('section.node')
		.nth(1)
		.getByRole('button', { name: zh('courts_add') })
		.click();
	await expect(page.locator('[data-court="示范县人民法院东村人民法庭"]')).toBeVisible();
	const wide = await page.evaluate(
		(limit) =>
			[...document.querySelectorAll('body *')]
				.filter((element) => element.getBoundingClientRect().right > limit + 0.5)
				.map((element) => `${element.tagName.toLowerCase()}.${element.className}`)
				.slice(0, 5),
		PHONE.width
	);
	expect(wide).toEqual([]);
	await picture(page, 'judicial-courts-360');
});
