import type { Page } from '@playwright/test';
import { LOCALES, text, type Locale } from '../support/e2e-messages.ts';
import { expect, HOME_HEADING, test } from '../support/e2e-test.ts';

/** The page is wholly in `locale`: the document's language, the switch's state and a heading. */
async function expectLanguage(page: Page, locale: Locale, headingKey: string): Promise<void> {
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
	for (const other of LOCALES) {
		await expect(page.locator(`button[lang="${other}"]`)).toHaveAttribute('aria-pressed', String(other === locale));
	}
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(text(locale, headingKey));
	await expect(page).toHaveTitle(`${text(locale, 'app_name')} · ${text(locale, 'app_tagline')}`);
}

/** Chooses `locale` in the header: a plain form, so it works whether or not the page's scripts have run. */
async function chooseLanguage(page: Page, locale: Locale): Promise<void> {
	await page.locator(`button[lang="${locale}"]`).click();
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

test('pages are in Simplified Chinese by default', async ({ page }) => {
	await page.goto('/login');
	await expectLanguage(page, 'zh-CN', 'login_title');
	await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
});

test('English, once chosen, stays across reloads, log-in and navigation, and Chinese can be chosen back', async ({
	page,
	context,
	loginAs
}) => {
	await page.goto('/login');
	await chooseLanguage(page, 'en');
	await expectLanguage(page, 'en', 'login_title');
	await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
	expect(await context.cookies()).toContainEqual(expect.objectContaining({ name: 'tj_locale', value: 'en' }));

	await page.reload();
	await expectLanguage(page, 'en', 'login_title');

	await loginAs('legal_expert');
	await expectLanguage(page, 'en', HOME_HEADING.legal_expert);
	await page.goto('/account');
	await expectLanguage(page, 'en', 'account_title');

	await chooseLanguage(page, 'zh-CN');
	await expectLanguage(page, 'zh-CN', 'account_title');
	await page.goto('/');
	await expectLanguage(page, 'zh-CN', HOME_HEADING.legal_expert);
});

test('the language switch works without the page scripts, and only for known languages', async ({
	browser,
	request
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/login?next=%2Fparty');
	await chooseLanguage(page, 'en');
	await expect(page).toHaveURL(/\/login\?next=%2Fparty$/);
	await expectLanguage(page, 'en', 'login_title');
	await context.close();

	const origin = new URL(page.url()).origin;
	const choose = (form: Record<string, string>) =>
		request.post('/locale', { form, headers: { origin, accept: 'text/html' }, maxRedirects: 0 });
	expect((await choose({ locale: 'fr', back: '/login' })).status()).toBe(400);
	expect((await choose({ locale: 'en', back: '//elsewhere.example' })).headers().location).toBe('/');
});
