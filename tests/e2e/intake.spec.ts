import type { Page } from '@playwright/test';
import { pdf, png } from '../support/evidence-samples.ts';
import { residentIdNumber } from '../support/identity-numbers.ts';
import { expect, field, test, zh } from '../support/e2e-test.ts';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

/** A name no other test uses, so searches find this test's case only. */
const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-4)}`;

async function fillDispute(page: Page, applicant: string, respondent: string) {
	await field(page, 'intake_dispute_type').selectOption({ label: zh('dispute_type_neighbour') });
	await field(page, 'intake_place').selectOption({ label: '东村 · 东村一组' });
	await field(page, 'intake_facts').fill(`邻居${respondent}在两家之间的排水沟上砌墙，雨水倒灌进院子。`);
	await field(page, 'intake_claims').fill('拆除砌墙，恢复排水沟。');
	await page.locator('input[name="applicant.name"]').fill(applicant);
	await page.locator('input[name="applicant.phone"]').fill('13800138000');
	await page.locator('input[name="respondents.0.name"]').fill(respondent);
}

test('a party applies on a phone without an account, then follows the case and adds evidence by the private link', async ({
	page
}) => {
	await page.goto('/apply');
	await page.getByRole('button', { name: zh('apply_submit') }).click();
	// Nothing filled in: every required field says so, in Chinese.
	await expect(page.getByRole('alert')).toHaveText(zh('error_validation'));
	await expect(page.locator('.field.invalid')).toHaveCount(7);

	const applicant = uniqueName('申请人');
	await fillDispute(page, applicant, '王建国');
	await page.getByRole('button', { name: zh('intake_add_respondent') }).click();
	await page.locator('input[name="respondents.1.name"]').fill('王建军');
	await page
		.getByLabel(zh('intake_evidence'))
		.setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: png() });
	await page.getByRole('button', { name: zh('apply_submit') }).click();

	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('apply_done_title'));
	const status = page.getByRole('status');
	const number = /\d{4}-QSZ-\d{6}/.exec((await status.textContent())!)?.[0] ?? '';
	await expect(status).toHaveText(zh('apply_done_number', { number }));

	await page.getByRole('link', { name: zh('apply_done_open') }).click();
	await expect(page).toHaveURL(/\/track\/[A-Za-z0-9_-]{32}$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('track_title', { number }));
	await expect(page.getByText(zh('case_status_submitted'))).toBeVisible();
	await expect(page.getByText('王建军')).toBeVisible();
	await expect(page.getByText('现场照片.png')).toBeVisible();

	// A renamed executable is refused by its content; a real PDF is taken.
	const upload = page.getByLabel(zh('track_add_evidence'));
	await upload.setInputFiles({ name: '合同.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00fake') });
	await page.getByRole('button', { name: zh('track_upload') }).click();
	await expect(page.getByText(zh('field_file_type'))).toBeVisible();
	await upload.setInputFiles({ name: '合同.pdf', mimeType: 'application/pdf', buffer: pdf() });
	await page.getByRole('button', { name: zh('track_upload') }).click();
	await expect(page.getByText(zh('track_uploaded'))).toBeVisible();
	await expect(page.getByText('合同.pdf')).toBeVisible();
	await expect(page.getByText(zh('timeline_evidence_added', { actor: applicant }))).toHaveCount(2);

	await page.getByText(zh('track_withdraw'), { exact: true }).click();
	await page.getByRole('button', { name: zh('track_withdraw_submit') }).click();
	await expect(page.getByText(zh('field_required'))).toBeVisible();
	await page.getByLabel(zh('track_withdraw_reason')).fill('双方已自行和解');
	await page.getByRole('button', { name: zh('track_withdraw_submit') }).click();
	await expect(page.locator('.facts .status')).toHaveText(zh('case_status_withdrawn'));
	await expect(page.getByText(zh('timeline_case_withdraw', { actor: applicant }))).toBeVisible();
	await expect(page.getByText(zh('track_withdraw'), { exact: true })).toHaveCount(0);
});

test('a tracking link that does not exist shows nothing', async ({ page }) => {
	const response = await page.goto('/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('error_not_found'));
});

test('an oversized evidence file is refused with 413 and a clear message, and no case is created', async ({
	page,
	request,
	baseURL,
	loginAs
}) => {
	const places = await request.get('/apply');
	const villageId = /<option value="([0-9a-f-]{36})"[^>]*>\s*东村\s*<\/option>/.exec(await places.text())![1];
	const response = await request.post('/apply', {
		headers: { origin: baseURL!, accept: 'text/html' },
		multipart: {
			disputeType: 'neighbour',
			villageId,
			facts: '邻居在两家之间的排水沟上砌墙，雨水倒灌。',
			claims: '拆墙',
			'applicant.name': '超大文件',
			'applicant.phone': '13800138000',
			'respondents.0.name': '王建国',
			evidence: {
				name: 'big.pdf',
				mimeType: 'application/pdf',
				buffer: Buffer.concat([pdf(), Buffer.alloc(20 * 1024 * 1024)])
			}
		}
	});
	expect(response.status()).toBe(413);
	expect(await response.text()).toContain(zh('field_too_large', { mb: 20 }));
	await loginAs('admin');
	await page.goto(`/cases?q=${encodeURIComponent('超大文件')}`);
	await expect(page.getByText(zh('cases_none'))).toBeVisible();
});

test('a grid worker reports a dispute from a phone and finds it on their home page', async ({ page, loginAs }) => {
	await loginAs('grid_worker');
	await page
		.getByRole('link', { name: zh('cases_report') })
		.first()
		.click();
	const applicant = uniqueName('网格');
	await fillDispute(page, applicant, '吴长海');
	await page.getByRole('button', { name: zh('report_submit') }).click();

	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	await page.goto('/grid');
	await expect(page.getByRole('link', { name: /^\d{4}-QSZ-\d{6}$/ }).first()).toBeVisible();
	await page.goto(`/cases?q=${encodeURIComponent(applicant)}`);
	await expect(page.locator('.case-list tbody tr')).toHaveCount(1);
});

test('a mediator registers a walk-in, then finds it by a party’s name and by filters', async ({ page, loginAs }) => {
	await page.setViewportSize({ width: 1280, height: 900 });
	await loginAs('mediator');
	await page.goto('/cases/new');
	const applicant = uniqueName('来访');
	await fillDispute(page, applicant, '孙某');
	await page.getByRole('radio', { name: zh('case_channel_walk_in') }).check();
	await page.getByRole('button', { name: zh('register_submit') }).click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);

	await page.goto('/cases');
	await page.getByRole('searchbox').fill(applicant.slice(-4));
	await page.getByRole('button', { name: zh('cases_apply_filters') }).click();
	const rows = page.locator('.case-list tbody tr');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText(applicant);
	await expect(rows.first()).toContainText(zh('case_status_submitted'));

	await page.getByLabel(zh('case_status')).selectOption(zh('case_status_closed'));
	await page.getByRole('button', { name: zh('cases_apply_filters') }).click();
	await expect(page.getByText(zh('cases_none'))).toBeVisible();
	// A forged filter is refused with a message, not a crash.
	await page.goto('/cases?status=lost&cursor=bad');
	await expect(page.getByRole('alert')).toHaveText(zh('error_validation'));
});

test('a wrong ID number is told at its field; the mediator completes the parties on the case page', async ({
	page,
	loginAs
}) => {
	await page.goto('/apply');
	const applicant = uniqueName('身份');
	const respondent = uniqueName('补全');
	await fillDispute(page, applicant, respondent);
	const own = page.locator('fieldset', { hasText: zh('intake_applicant_you') });
	await own.locator('details > summary').click();
	// The standard's own example with its check character X replaced.
	await own.getByLabel(zh('party_id_number')).fill('110105194912310021');
	await page.getByRole('button', { name: zh('apply_submit') }).click();
	const idField = page.locator('.field.invalid', { hasText: zh('party_id_number') });
	await expect(idField).toContainText(zh('field_check_character'));
	await expect(page.locator('.field.invalid')).toHaveCount(1);
	await idField.getByRole('textbox').fill('11010519491231002X');
	await page.getByRole('button', { name: zh('apply_submit') }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('apply_done_title'));

	await loginAs('mediator');
	await page.goto(`/cases?q=${encodeURIComponent(applicant)}`);
	await expect(page.locator('.case-list tbody tr')).toContainText(zh('party_list_incomplete'));
	await page.locator('.case-list tbody tr').getByRole('link').first().click();
	const own2 = page.locator(`li[data-party="${applicant}"]`);
	// The birth date and sex were read from the ID number.
	await expect(own2).toContainText('11010519491231002X');
	await expect(own2).toContainText('1949-12-31');
	const other = page.locator(`li[data-party="${respondent}"]`);
	await expect(other.locator('.incomplete')).toBeVisible();
	await other.locator('details.edit-party > summary').click();
	const form = other.locator('form[action*="updateParty"]');
	await form.getByLabel(zh('party_phone'), { exact: true }).fill('139 0013 9000');
	await form.locator('details.more > summary').first().click();
	await form.getByLabel(zh('party_id_number')).fill(residentIdNumber({ birthDate: '1966-06-06', sex: 'male' }));
	await form.getByLabel(zh('party_ethnicity')).selectOption({ label: '汉族' });
	await form.getByLabel(zh('party_occupation')).fill('农民');
	await form.getByLabel(zh('party_address_person')).fill('东村一组9号');
	await form.getByRole('button', { name: zh('party_save') }).click();
	await expect(other.getByRole('status')).toHaveText(zh('party_saved'));
	await expect(other).toContainText('1966-06-06');
	await expect(other.locator('.incomplete')).toHaveCount(0);
	await expect(page.getByText(zh('timeline_party_updated', { actor: '李明华' }))).toBeVisible();
});
