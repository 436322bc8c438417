import { expect, logIn, test, zh } from '../support/e2e-test.ts';

/**
 * The rights and duties notice as an admin writes it and anyone reads it. The text edited is that of
 * the family-dispute studio, whose case no other spec takes into a room: a new version there asks
 * nobody else's parties to acknowledge again.
 */
const STUDIO = '青石镇婚姻家庭纠纷调解工作室';

test('an admin saves a new version of a committee’s notice; the public page shows it without a login', async ({
	page,
	browser,
	demo
}) => {
	test.setTimeout(90_000);
	const added = `本工作室调解婚姻家庭纠纷，注重保护未成年人利益。${Date.now()}`;
	let committeeUrl = '';
	await test.step('the admin page lists the committees; saving makes a new version and keeps the old one', async () => {
		await logIn(page, 'admin', demo.password);
		await page.goto('/admin/notice');
		await page
			.getByRole('navigation', { name: zh('admin_notice_committees') })
			.getByRole('link', { name: STUDIO })
			.click();
		await expect(page.getByRole('heading', { name: zh('admin_notice_editing', { name: STUDIO }) })).toBeVisible();
		const versionsBefore = await page.locator('table.versions tbody tr').count();
		const body = page.getByLabel(zh('admin_notice_body_zh'));
		await body.fill(`${await body.inputValue()}\n\n${added}`);
		await page.getByRole('button', { name: zh('admin_notice_save') }).click();
		await expect(page.locator('.alert.success')).toBeVisible();
		await expect(page.locator('table.versions tbody tr')).toHaveCount(versionsBefore + 1);
		await expect(page.locator('table.versions tbody tr').first().locator('td').nth(2)).toHaveText('王主任');
		await expect(page.locator('table.versions tbody tr').last().locator('td').nth(2)).toHaveText(
			zh('admin_notice_builtin')
		);
		committeeUrl = await page
			.getByRole('link', { name: zh('admin_notice_public') })
			.getAttribute('href')
			.then(String);
	});

	await test.step('anyone reads it at /notice, and chooses the committee', async () => {
		const visitor = await (await browser.newContext()).newPage();
		await visitor.goto('/notice');
		await expect(visitor.getByRole('heading', { level: 1, name: zh('notice_title') })).toBeVisible();
		await visitor.getByLabel(zh('notice_choose_committee')).selectOption({ label: STUDIO });
		await visitor.getByRole('button', { name: zh('notice_show') }).click();
		await expect(visitor).toHaveURL(/\/notice\?committee=[0-9a-f-]{36}$/);
		expect(new URL(visitor.url()).search).toBe(new URL(committeeUrl, 'http://x').search);
		await expect(visitor.locator('.notice')).toContainText(added);
		await expect(visitor.locator('.notice')).toContainText(STUDIO);
		const missing = await visitor.goto('/notice?committee=00000000-0000-4000-8000-000000000000');
		expect(missing?.status()).toBe(404);
	});
});
