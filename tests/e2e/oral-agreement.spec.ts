import { drawOnPad } from '../support/e2e-signature-pad.ts';
import { expect, field, test, zh } from '../support/e2e-test.ts';

/**
 * A simple dispute settled by word of mouth: the demo's 东村 noise case (陈桂芳 v 林志强, accepted
 * by the 东村 mediator) is resolved by an oral agreement registered on one screen.
 */
const APPLICANT = '陈桂芳';

test('a mediator registers an oral agreement: refused without a signature or with a wrong password, then the case is resolved and its register sealed', async ({
	page,
	loginAs,
	demo
}) => {
	test.slow();
	await loginAs('mediator');
	await page
		.getByRole('banner')
		.getByRole('link', { name: zh('nav_cases'), exact: true })
		.click();
	await page.getByRole('row').filter({ hasText: APPLICANT }).getByRole('link').first().click();
	await page.getByRole('link', { name: zh('oral_open') }).click();
	await expect(page.getByRole('heading', { name: zh('oral_title'), level: 1 })).toBeVisible();

	await field(page, 'oral_matter').fill('楼上住户夜间装修噪音影响楼下老人休息引发的纠纷。');
	await field(page, 'oral_terms').fill('林志强晚上八点以后停止施工，并当面向陈桂芳赔礼道歉。');
	await field(page, 'oral_performance').fill('自即日起履行，由东村调委会于本周内上门回访。');
	await field(page, 'oral_password').fill(demo.password);
	const submit = page.getByRole('button', { name: zh('oral_submit') });

	await test.step('without a signature nothing is sent', async () => {
		await submit.click();
		await expect(page.getByRole('alert')).toHaveText(zh('oral_no_signature'));
	});

	await test.step('a wrong password is refused and what was typed stays', async () => {
		await drawOnPad(page);
		await field(page, 'oral_password').fill('not-my-password');
		await submit.click();
		await expect(page.getByRole('alert')).toHaveText(zh('error_invalid_credentials'));
		await expect(field(page, 'oral_terms')).toHaveValue('林志强晚上八点以后停止施工，并当面向陈桂芳赔礼道歉。');
	});

	await test.step('signed with the password, the case is resolved by the oral agreement, its register listed', async () => {
		await field(page, 'oral_password').fill(demo.password);
		await submit.click();
		await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}#case-documents$/);
		await expect(page.locator('.case-head [data-status]')).toHaveText(zh('case_status_resolved'));
		await expect(page.locator('section[aria-labelledby="case-documents"]')).toContainText(
			zh('document_kind_oral_agreement')
		);
		await expect(page.getByRole('link', { name: zh('oral_open') })).toHaveCount(0);
	});
});
