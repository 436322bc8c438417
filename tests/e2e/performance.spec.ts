import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, field, test, zh } from '../support/e2e-test.ts';

/**
 * The performance of an agreement: the demo's 东村一组 chickens case (孙桂兰 v 马德福), settled by
 * an oral agreement, gets a plan from its mediator; 马德福 reports the payment done with a photo of
 * the receipt from his phone, and the mediator confirms it: the agreement is performed.
 */
const APPLICANT = '孙桂兰';
const RESPONDENT = '马德福';
const PHONE = { width: 360, height: 740 };

/** Screenshots for review, where SCREENSHOTS names a folder. */
async function picture(page: Page, name: string) {
	const dir = process.env.SCREENSHOTS;
	if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

async function fitsThePhone(page: Page, what: string) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width, `${what}: ${width} px wide`).toBeLessThanOrEqual(PHONE.width);
}

/** A photographed receipt: a real JPEG of a phone camera's proportions. */
const receiptPhoto = () =>
	sharp({ create: { width: 900, height: 1200, channels: 3, background: { r: 236, g: 228, b: 210 } } })
		.jpeg({ quality: 80 })
		.toBuffer();

test('a party marks an item done with a photo from a phone, the mediator confirms it, and the agreement is performed', async ({
	page,
	browser,
	loginAs
}) => {
	test.slow();
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
	await loginAs('mediator');
	await page
		.getByRole('banner')
		.getByRole('link', { name: zh('nav_cases'), exact: true })
		.click();
	await page.getByRole('row').filter({ hasText: APPLICANT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	const casePath = new URL(page.url()).pathname;
	const summary = page.locator('section[aria-labelledby="case-performance"]');
	await expect(summary).toContainText(zh('performance_none'));

	await test.step('the mediator turns a term of the oral agreement into a payment item, in capitals too', async () => {
		await summary.getByRole('link', { name: zh('performance_open') }).click();
		await expect(page.getByRole('heading', { name: zh('performance_title'), level: 1 })).toBeVisible();
		const clause = page.locator('.clauses li', { hasText: '赔偿孙桂兰菜苗损失' });
		await clause.getByRole('button', { name: zh('performance_use_clause') }).click();
		await expect(field(page, 'performance_description')).toHaveValue(/马德福赔偿孙桂兰菜苗损失一百五十元/);
		await page.getByRole('button', { name: zh('performance_add_submit') }).click();
		// Refused without amount, day, place and party; what was typed stays.
		await expect(page.getByRole('alert')).toHaveText(zh('error_validation'));
		await expect(field(page, 'performance_description')).toHaveValue(/马德福赔偿孙桂兰菜苗损失一百五十元/);
		await field(page, 'performance_amount').fill('150');
		await expect(page.locator('[data-capitals]')).toHaveText(zh('performance_capitals', { capitals: '壹佰伍拾元整' }));
		await field(page, 'performance_due').fill(today);
		await field(page, 'performance_place').fill('东村村委会调解室');
		await field(page, 'performance_responsible').selectOption({
			label: `${RESPONDENT}（${zh('party_side_respondent')}）`
		});
		await picture(page, 'performance-plan-form-desktop');
		await page.getByRole('button', { name: zh('performance_add_submit') }).click();
		const item = page.locator('.performance-item');
		await expect(item).toHaveCount(1);
		await expect(item).toContainText(zh('performance_state_planned'));
		await expect(item).toContainText(zh('performance_capitals', { capitals: '壹佰伍拾元整' }));
	});

	let trackPath = '';
	await test.step('the respondent is handed his private link', async () => {
		await page.goto(casePath);
		const party = page.locator(`li[data-party="${RESPONDENT}"]`);
		const issue = new RegExp(`^(${zh('case_issue_link')}|${zh('case_reissue_link')})$`);
		await party.getByRole('button', { name: issue }).click();
		const link = party.locator('.issued-link input');
		await expect(link).toHaveValue(/\/track\/[A-Za-z0-9_-]+$/);
		trackPath = new URL(await link.inputValue()).pathname;
	});

	const phone = await (await browser.newContext({ viewport: PHONE, hasTouch: true })).newPage();
	await test.step('on his phone he says it is paid, with a photo of the receipt', async () => {
		await phone.goto(trackPath);
		const section = phone.locator('section.tracked-performance');
		await expect(section).toContainText('壹佰伍拾元整');
		await section.getByText(zh('performance_report'), { exact: true }).click();
		// A payment needs its proof: a note alone is refused, and says why.
		await field(section, 'performance_report_note').fill('已当面付清现金');
		await section.getByRole('button', { name: zh('performance_report_submit') }).click();
		await expect(phone.locator('section.tracked-performance .errors')).toHaveText(zh('performance_proof_required'));
		await expect(field(section, 'performance_report_note')).toHaveValue('已当面付清现金');
		await section.locator('input[name="proof"]').setInputFiles({
			name: '收条.jpg',
			mimeType: 'image/jpeg',
			buffer: await receiptPhoto()
		});
		await fitsThePhone(phone, 'report form');
		await picture(phone, 'performance-report-360');
		await section.getByRole('button', { name: zh('performance_report_submit') }).click();
		await expect(phone.getByRole('status')).toHaveText(zh('performance_reported'));
		await expect(section.locator('.performance-item')).toContainText(zh('performance_state_reported'));
		await expect(section.locator('.performance-item img')).toHaveJSProperty('naturalWidth', 900);
		await fitsThePhone(phone, 'reported');
	});

	await test.step('the report waits on the mediator’s home; they see the receipt and confirm: performed', async () => {
		await page.goto('/mediator');
		const waiting = page.locator('section.reported-items');
		await expect(waiting).toContainText('马德福赔偿孙桂兰菜苗损失');
		await waiting.getByRole('link').first().click();
		await expect(page).toHaveURL(new RegExp(`${casePath}/performance$`));
		const item = page.locator('.performance-item');
		await expect(item).toContainText(zh('performance_state_reported'));
		await expect(item).toContainText('已当面付清现金');
		await expect(item.locator('img')).toHaveJSProperty('naturalWidth', 900);
		await item.getByRole('button', { name: zh('performance_confirm') }).click();
		await expect(item).toContainText(zh('performance_state_confirmed'));
		await expect(page.locator('[data-performed]')).toBeVisible();
		await picture(page, 'performance-plan-performed-desktop');
		await page.setViewportSize(PHONE);
		await fitsThePhone(page, 'the plan');
		await picture(page, 'performance-plan-performed-360');
	});

	await test.step('performed on the case, the case list and the party’s page', async () => {
		await page.goto(casePath);
		await expect(page.locator('section[aria-labelledby="case-performance"] [data-performed]')).toBeVisible();
		await page.goto('/cases');
		await expect(page.getByRole('row').filter({ hasText: APPLICANT }).locator('.performed')).toHaveText(
			zh('performance_performed')
		);
		await phone.reload();
		await expect(phone.locator('section.tracked-performance [data-performed]')).toBeVisible();
		await expect(phone.locator('section.tracked-performance .performance-item')).toContainText(
			zh('performance_state_confirmed')
		);
		await fitsThePhone(phone, 'performed');
		await picture(phone, 'performance-track-performed-360');
	});
});
