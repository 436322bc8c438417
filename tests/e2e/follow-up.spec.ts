import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { drawOnPad } from '../support/e2e-signature-pad.ts';
import { expect, field, test, zh } from '../support/e2e-test.ts';

/**
 * A follow-up visit (回访) of the demo's closed 东村二组 wage case (钱小兵 v 青石镇冯记生态养殖场),
 * whose sealed agreement set its first visit: the mediator records a phone visit and sets the next
 * in three days, which opens the next visit to the parties' answers; the respondent answers on a
 * 360 px phone, and the mediator sees the answer on the case page. `SCREENSHOTS=<dir>` keeps
 * pictures of each step. (The statistics tests give 钱小兵 a link of his own: this one uses the
 * respondent's.)
 */
const APPLICANT = '钱小兵';
const RESPONDENT = '青石镇冯记生态养殖场';
const PHONE = { width: 360, height: 740 };

async function picture(page: Page, name: string) {
	const dir = process.env.SCREENSHOTS;
	if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** `days` from today in China, as a date field takes it. */
const dayIn = (days: number) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));

test('a mediator records a phone follow-up and sets the next; the party answers it on a phone; the mediator sees the answer', async ({
	page,
	browser,
	loginAs,
	demo
}) => {
	test.slow();
	await loginAs('mediator');
	await page.goto('/cases?disputeType=labour');
	await page.getByRole('row').filter({ hasText: APPLICANT }).getByRole('link').first().click();
	const visits = page.locator('section[aria-labelledby="case-follow-ups"]');
	await expect(visits.locator('li[data-follow-up="1"]')).toHaveAttribute('data-state', 'upcoming');

	await test.step('the record is refused without a place for a visit in person, and kept as typed', async () => {
		await visits.getByRole('link', { name: zh('follow_up_record_link') }).click();
		await expect(page.getByRole('heading', { name: zh('follow_up_record_title'), level: 1 })).toBeVisible();
		await page.getByRole('radio', { name: zh('follow_up_method_in_person') }).check();
		await page.getByRole('radio', { name: zh('follow_up_performance_partly') }).check();
		await page.getByRole('radio', { name: zh('survey_score_4'), exact: true }).check();
		await field(page, 'follow_up_risks').fill('余款三千元尚未付清，申请人担心年底前拿不到。');
		await field(page, 'follow_up_steps').fill('电话督促被申请人月底前付清，并告知可申请司法确认。');
		await field(page, 'follow_up_next').fill(dayIn(3));
		await drawOnPad(page);
		await field(page, 'follow_up_password').fill(demo.password);
		await page.getByRole('button', { name: zh('follow_up_submit') }).click();
		await expect(page.getByRole('alert')).toHaveText(zh('error_validation'));
		await expect(field(page, 'follow_up_risks')).toHaveValue('余款三千元尚未付清，申请人担心年底前拿不到。');
	});

	await test.step('by phone, signed with the password, it is sealed and the next visit is due in three days', async () => {
		await page.getByRole('radio', { name: zh('follow_up_method_phone') }).check();
		await expect(field(page, 'follow_up_place')).toHaveCount(0);
		await page.setViewportSize(PHONE);
		await picture(page, 'follow-up-record-360');
		await page.setViewportSize({ width: 1280, height: 800 });
		await field(page, 'follow_up_password').fill(demo.password);
		await page.getByRole('button', { name: zh('follow_up_submit') }).click();
		// Sealing takes a while on a busy machine.
		await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}#case-follow-ups$/, { timeout: 30_000 });
		await expect(visits.locator('li[data-follow-up="1"]')).toHaveAttribute('data-state', 'recorded');
		await expect(visits.locator('li[data-follow-up="1"]')).toContainText(zh('follow_up_performance_partly'));
		await expect(visits.locator('li[data-follow-up="2"]')).toHaveAttribute('data-state', 'due');
		await expect(visits.locator('li[data-follow-up="2"]')).toContainText(zh('follow_up_due_in_days', { days: 3 }));
		await expect(page.locator('section[aria-labelledby="case-documents"]')).toContainText(
			zh('document_kind_follow_up_record')
		);
	});

	const party = page.locator(`li[data-party="${RESPONDENT}"]`);
	await party.getByRole('button', { name: zh('case_issue_link') }).click();
	const link = await party.getByRole('textbox', { name: zh('case_link_issued', { name: RESPONDENT }) }).inputValue();

	const phone = await (await browser.newContext({ viewport: PHONE, hasTouch: true })).newPage();
	await test.step('the party answers on a 360 px phone, is told what is missing, then thanked', async () => {
		await phone.goto(link);
		const panel = phone.locator('section[aria-labelledby="track-follow-up"]');
		await expect(panel.getByRole('heading', { name: zh('track_follow_up_title') })).toBeVisible();
		await panel.getByRole('radio', { name: zh('follow_up_performance_partly') }).check();
		await panel.getByRole('button', { name: zh('track_follow_up_submit') }).click();
		await expect(panel.getByRole('alert')).toHaveText(zh('error_validation'));
		await panel.getByRole('radio', { name: zh('survey_score_3'), exact: true }).check();
		await panel.getByRole('radio', { name: zh('track_follow_up_dispute_yes') }).check();
		await panel.getByLabel(zh('track_follow_up_comment')).fill('余款还差三千，月底前付清。');
		await picture(phone, 'follow-up-track-360');
		await panel.getByRole('button', { name: zh('track_follow_up_submit') }).click();
		// Thanked, with the time of the answer (the words before it).
		await expect(panel.getByRole('status')).toContainText(zh('track_follow_up_thanks', { at: '@' }).split('@')[0]);
		await expect(panel.getByRole('button', { name: zh('track_follow_up_correct') })).toBeVisible();
		const width = await phone.evaluate(() => document.documentElement.scrollWidth);
		expect(width).toBeLessThanOrEqual(PHONE.width);
		const { violations } = await new AxeBuilder({ page: phone }).include('#track-follow-up').analyze();
		expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
		await picture(phone, 'follow-up-track-answered-360');
	});

	await test.step('the mediator sees the answer on the case page', async () => {
		await page.reload();
		const next = visits.locator('li[data-follow-up="2"]');
		await expect(next).toContainText(RESPONDENT);
		await expect(next).toContainText('余款还差三千，月底前付清。');
		await expect(next).toContainText(zh('follow_up_still_in_dispute'));
		await picture(page, 'follow-up-case-desktop');
		await page.setViewportSize(PHONE);
		await visits.scrollIntoViewIfNeeded();
		await picture(page, 'follow-up-case-360');
	});
	await phone.context().close();
});

test("the town's admin sets a committee's follow-up delay on the settings page, 1 to 365 days", async ({
	page,
	loginAs
}) => {
	await loginAs('admin');
	await page.goto('/admin/settings');
	const form = page.locator('form[action="?/followUps"]');
	const east = form.getByLabel(zh('follow_up_delays_days', { committee: '东村人民调解委员会' }));
	await expect(east).toHaveValue('30');
	await east.fill('0');
	await form.getByRole('button', { name: zh('settings_save') }).click();
	await expect(page.getByRole('alert')).toHaveText(zh('error_validation'));
	await picture(page, 'follow-up-settings-refused');
	await east.fill('45');
	await form.getByRole('button', { name: zh('settings_save') }).click();
	await expect(page.getByRole('status')).toHaveText(zh('settings_saved'));
	await page.reload();
	await expect(east).toHaveValue('45');
	// Back as the demo has it, for the other tests' agreements.
	await east.fill('30');
	await form.getByRole('button', { name: zh('settings_save') }).click();
	await expect(page.getByRole('status')).toHaveText(zh('settings_saved'));
});
