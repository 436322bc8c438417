import type { Page } from '@playwright/test';
import { expect, field, logIn, test, zh } from '../support/e2e-test.ts';

// Runs on the server whose database has never been set up; each test goes on from the one before.
test.describe.configure({ mode: 'serial' });

const TOWN = {
	setup_county_name: '示范县',
	setup_town_name: '柳溪镇',
	setup_town_code: 'LXZ',
	setup_committee_name: '柳溪镇人民调解委员会',
	field_username: 'chief',
	field_display_name: '周主任',
	field_password: 'e2e-setup-password',
	field_password_confirm: 'e2e-setup-password'
};

/** Fills the setup form, field by label, and submits it. */
async function submitSetup(page: Page, values: Record<string, string>): Promise<void> {
	await page.goto('/setup');
	for (const [label, value] of Object.entries(values)) await field(page, label).fill(value);
	await page.getByRole('button', { name: zh('setup_submit') }).click();
}

test('a fresh instance sends visitors to the setup page', async ({ page, baseURL }) => {
	await page.goto('/');
	await expect(page).toHaveURL('/setup');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('setup_title'));
	// The public address is suggested from the address the page was opened by.
	await expect(field(page, 'field_public_origin')).toHaveValue(baseURL!);
	await page.goto('/login');
	await expect(page).toHaveURL('/setup');
});

test('invalid setup data is refused field by field and creates nothing', async ({ page }) => {
	await submitSetup(page, {
		...TOWN,
		setup_town_name: '',
		setup_town_code: 'lx1',
		field_username: 'a',
		field_password: 'short',
		field_password_confirm: 'short'
	});

	await expect(page.getByRole('alert')).toHaveText(zh('error_validation'));
	const refused = {
		setup_town_name: 'field_required',
		setup_town_code: 'field_invalid',
		field_username: 'field_too_short',
		field_password: 'field_too_short'
	};
	for (const [label, error] of Object.entries(refused)) {
		await expect(field(page, label)).toHaveAttribute('aria-invalid', 'true');
		await expect(field(page, label)).toHaveAccessibleDescription(zh(error));
	}
	// What was typed stays, except the passwords.
	await expect(field(page, 'setup_county_name')).toHaveValue(TOWN.setup_county_name);
	await expect(field(page, 'field_password')).toHaveValue('');

	await page.goto('/');
	await expect(page).toHaveURL('/setup');
});

test('mismatched passwords are refused on the confirmation field', async ({ page }) => {
	await submitSetup(page, { ...TOWN, field_password_confirm: 'another-password' });
	await expect(field(page, 'field_password_confirm')).toHaveAccessibleDescription(zh('field_mismatch'));
	await page.goto('/');
	await expect(page).toHaveURL('/setup');
});

test('a valid setup lands on the log-in page with a notice, and setup is then locked', async ({ page }) => {
	await submitSetup(page, TOWN);
	await expect(page).toHaveURL('/login?setup=done');
	await expect(page.getByText(zh('login_setup_done'))).toBeVisible();

	await page.goto('/setup');
	await expect(page).toHaveURL('/login');
	await page.goto('/');
	await expect(page).toHaveURL('/login');
});

test('the first administrator logs in and finds the town in the organisation tree', async ({ page }) => {
	await logIn(page, TOWN.field_username, TOWN.field_password);
	await expect(page).toHaveURL('/admin');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('admin_title'));
	const town = page.locator(`li[data-node="${TOWN.setup_town_name}"]`);
	await expect(town).toContainText(TOWN.setup_town_code);
	await expect(town).toContainText(TOWN.setup_committee_name);
});

test('the administrator finds the public address on the settings page and changes it', async ({ page, baseURL }) => {
	await logIn(page, TOWN.field_username, TOWN.field_password);
	await page.getByRole('link', { name: zh('nav_system_settings') }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('system_settings_title'));
	await expect(field(page, 'field_public_origin')).toHaveValue(baseURL!);

	const originForm = page.locator('form[action="?/origin"]');
	await field(page, 'field_public_origin').fill('http://evil.example/verify');
	await originForm.getByRole('button', { name: zh('settings_save') }).click();
	await expect(field(page, 'field_public_origin')).toHaveAccessibleDescription(zh('field_invalid'));

	await field(page, 'field_public_origin').fill('https://tiaojie.example.gov.cn');
	await originForm.getByRole('button', { name: zh('settings_save') }).click();
	await expect(page.getByRole('status')).toHaveText(zh('settings_saved'));
	await page.reload();
	await expect(field(page, 'field_public_origin')).toHaveValue('https://tiaojie.example.gov.cn');
	await expect(page.locator('p.hint', { hasText: TOWN.field_display_name })).toBeVisible();

	// The case files' retention table sits on the same page, a form of its own.
	const retentionForm = page.locator('form[action="?/retention"]');
	const land = retentionForm.getByLabel(zh('dispute_type_land'));
	await expect(land).toHaveValue('永久');
	await land.fill('');
	await retentionForm.getByRole('button', { name: zh('settings_save') }).click();
	await expect(land).toHaveAttribute('aria-invalid', 'true');
	await land.fill('30年');
	await retentionForm.getByRole('button', { name: zh('settings_save') }).click();
	await expect(page.getByRole('status')).toHaveText(zh('settings_saved'));
	await page.reload();
	await expect(retentionForm.getByLabel(zh('dispute_type_land'))).toHaveValue('30年');
});
