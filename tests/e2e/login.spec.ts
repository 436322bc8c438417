import { ROLE_HOME, ROLES } from '../../src/lib/shared/roles.ts';
import { expect, holdScripts, HOME_HEADING, logIn, submitLogIn, test, zh } from '../support/e2e-test.ts';

for (const role of ROLES) {
	test(`the demo ${role} logs in and lands on ${ROLE_HOME[role]}`, async ({ page, loginAs }) => {
		const login = await loginAs(role);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh(HOME_HEADING[role]));
		await expect(page.getByRole('banner')).toContainText(login.displayName);
	});
}

test('a wrong password and an unknown username get the same message, with no hint which was wrong', async ({
	page,
	demo
}) => {
	const [known] = demo.logins;
	for (const [username, password] of [
		[known.username, 'not-the-password'],
		['nobody-by-this-name', demo.password]
	]) {
		await logIn(page, username, password);
		await expect(page).toHaveURL('/login');
		await expect(page.getByRole('alert')).toHaveText(zh('error_invalid_credentials'));
		await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);
		await expect(page.locator('input[name="username"]')).toHaveValue(username);
	}
});

test('logging out returns to the log-in page and closes the protected pages', async ({ page, loginAs }) => {
	await loginAs('mediator');
	await page.getByRole('button', { name: zh('nav_logout') }).click();
	await expect(page).toHaveURL('/login?logged-out');
	await expect(page.getByText(zh('logout_done'))).toBeVisible();

	await page.goto(ROLE_HOME.mediator);
	await expect(page).toHaveURL(`/login?next=${encodeURIComponent(ROLE_HOME.mediator)}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('login_title'));
});

test('after logging in from a protected page, the user is taken back to it', async ({ page, demo }) => {
	const party = demo.logins.find((l) => l.role === 'party')!;
	await page.goto(ROLE_HOME.party);
	await expect(page).toHaveURL(`/login?next=${encodeURIComponent(ROLE_HOME.party)}`);
	await submitLogIn(page, party.username, demo.password);
	await expect(page).toHaveURL(ROLE_HOME.party);
});

test('a next that leads off the site is ignored: the user lands on their home page, logged in', async ({
	page,
	demo
}) => {
	test.slow();
	const party = demo.logins.find((l) => l.role === 'party')!;
	// As typed into a link: %09, %0a and %0d are dropped by browsers (/%09/host is //host) or break the Location header.
	for (const next of [
		'/%09/evil.example',
		'/%0a/evil.example',
		'/%0d/evil.example',
		'//evil.example',
		'/%5Cevil.example'
	]) {
		await page.context().clearCookies();
		await page.goto(`/login?next=${next}`);
		await submitLogIn(page, party.username, demo.password);
		await expect(page, next).toHaveURL(ROLE_HOME.party);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh(HOME_HEADING.party));
	}
});

test('a user cannot open another role’s pages', async ({ page, loginAs }) => {
	await loginAs('party');
	const response = await page.goto('/admin');
	expect(response?.status()).toBe(403);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('error_page_title'));
	await expect(page.getByText(zh('error_forbidden'))).toBeVisible();
});

test('what someone types before the page’s scripts have loaded is kept when they load', async ({ page, demo }) => {
	const [known] = demo.logins;
	const releaseScripts = await holdScripts(page);
	await page.goto('/login', { waitUntil: 'domcontentloaded' });
	await page.locator('input[name="username"]').fill(known.username);
	await page.locator('input[name="password"]').fill(demo.password);

	releaseScripts();
	await page.waitForLoadState('networkidle');
	await expect(page.locator('input[name="username"]')).toHaveValue(known.username);
	await page.locator('input[name="password"]').press('Enter');
	await expect(page).toHaveURL(ROLE_HOME[known.role]);
});
