import type { Page } from '@playwright/test';
import { png } from '../support/evidence-samples.ts';
import { textPattern } from '../support/e2e-messages.ts';
import { expect, field, logIn, test, zh } from '../support/e2e-test.ts';

/**
 * The case page in the demo town. Only the mediator's test changes anything:
 * it moves the 东村 land case (刘大伟 v 孙建国, accepted 40 days ago) along.
 */
const LAND_APPLICANT = '刘大伟';
const GRID_APPLICANT = '周桂兰';

const statusOf = (page: Page) => page.locator('.case-head [data-status]');
const timeline = (page: Page) => page.locator('.case-timeline > li');

/** Opens the case whose row names `applicant` from the case list, and returns its address. */
async function openFromList(page: Page, applicant: string): Promise<string> {
	await page
		.getByRole('banner')
		.getByRole('link', { name: zh('nav_cases'), exact: true })
		.click();
	await expect(page).toHaveURL('/cases');
	await page.getByRole('row').filter({ hasText: applicant }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	return new URL(page.url()).pathname;
}

test('a mediator schedules and starts a case, is refused a transition its status does not allow, and adds evidence', async ({
	page,
	loginAs,
	baseURL
}) => {
	// Seven steps, each a round trip or two: more than the default time on a busy machine.
	test.slow();
	await loginAs('mediator');
	const casePath = await openFromList(page, LAND_APPLICANT);

	await test.step('the case page shows the case, overdue, with an intact audit chain', async () => {
		await expect(statusOf(page)).toHaveText(zh('case_status_accepted'));
		await expect(page.locator('.case-head .deadline-overdue')).toHaveText(zh('deadline_overdue'));
		await expect(page.locator('.case-head')).toContainText(zh('dispute_type_land'));
		await expect(page.locator('.chain-verdict')).toHaveText(textPattern('zh-CN', 'audit_chain_intact', {}, 'count'));
		await expect(page.locator(`li[data-party="${LAND_APPLICANT}"]`)).toContainText('13900000001');
		await expect(page.getByRole('heading', { name: zh('case_notes') })).toBeVisible();
		await expect(page.getByRole('heading', { name: zh('case_sessions') })).toBeVisible();
		await expect(page.getByText(zh('case_no_sessions'))).toBeVisible();
		await expect(page.getByText(zh('case_no_agreement'))).toBeVisible();
	});

	await test.step('schedule it: one action, scheduling its mediation, changes the status and the timeline says when', async () => {
		// The handling card offers no schedule of its own: the mediation's schedules the case.
		await expect(page.locator('details[data-transition="schedule"]')).toHaveCount(0);
		const events = await timeline(page).count();
		const sessions = page.locator('section[aria-labelledby="case-sessions"]');
		await sessions.locator('summary', { hasText: zh('session_schedule') }).click();
		const form = sessions.locator('form[action*="scheduleSession"]');
		await expect(form.getByLabel(zh('session_kind'))).toHaveValue('mediation');
		await form.getByLabel(zh('session_time'), { exact: true }).fill('2026-12-15T09:30');
		await form.locator('label.choice', { hasText: LAND_APPLICANT }).locator('input').check();
		await form.locator('button[type="submit"]').click();
		await expect(statusOf(page)).toHaveText(zh('case_status_scheduled'));
		await expect(sessions.getByRole('status').first()).toContainText(zh('session_scheduled_done'));
		await expect(timeline(page)).toHaveCount(events + 2);
		const entry = timeline(page).last();
		await expect(entry).toHaveAttribute('data-action', 'case.schedule');
		await expect(entry).toContainText(zh('timeline_detail_scheduled', { when: '2026-12-15 09:30' }));
		await expect(entry).toContainText(
			zh('timeline_detail_status', { from: zh('case_status_accepted'), to: zh('case_status_scheduled') })
		);
	});

	await test.step('start it', async () => {
		const start = page.locator('details[data-transition="start"]');
		await start.locator('summary').click();
		await start
			.getByRole('button', { name: zh('case_transition_confirm', { action: zh('case_transition_start') }) })
			.click();
		await expect(statusOf(page)).toHaveText(zh('case_status_in_mediation'));
		await expect(timeline(page).last()).toHaveAttribute('data-action', 'case.start');
	});

	await test.step('a failure without its reason and referral is refused, with the errors at the fields', async () => {
		const events = await timeline(page).count();
		const fail = page.locator('details[data-transition="fail"]');
		await fail.locator('summary').click();
		await fail
			.getByRole('button', { name: zh('case_transition_confirm', { action: zh('case_transition_fail') }) })
			.click();
		await expect(page.getByRole('alert').first()).toHaveText(zh('error_validation'));
		// The referral target left unchosen, then the reason left empty.
		await expect(fail.locator('.field.invalid .errors')).toHaveText([zh('field_required'), zh('field_required')]);
		await expect(statusOf(page)).toHaveText(zh('case_status_in_mediation'));
		await expect(timeline(page)).toHaveCount(events);
	});

	await test.step('an accept posted by hand is refused with 409 and changes nothing', async () => {
		await page.reload();
		const events = await timeline(page).count();
		const response = await page.request.post(`${casePath}?/transition`, {
			headers: { origin: baseURL!, accept: 'text/html' },
			form: { transition: 'accept', consent: 'on' }
		});
		expect(response.status()).toBe(409);
		expect(await response.text()).toContain(zh('error_invalid_transition'));
		await page.reload();
		await expect(statusOf(page)).toHaveText(zh('case_status_in_mediation'));
		await expect(timeline(page)).toHaveCount(events);
	});

	let evidencePath = '';
	await test.step('upload a photo as evidence and open it', async () => {
		const evidence = page.locator('section[aria-labelledby="case-evidence"]');
		await evidence.locator('input[name="evidence"]').setInputFiles({
			name: '界址现场.png',
			mimeType: 'image/png',
			buffer: png()
		});
		await evidence.getByRole('button', { name: zh('case_evidence_submit') }).click();
		await expect(evidence.getByRole('status')).toHaveText(zh('case_evidence_done'));
		const item = evidence.locator('li', { hasText: '界址现场.png' });
		await expect(item.locator('img')).toHaveJSProperty('naturalWidth', 1);
		await expect(timeline(page).last()).toContainText(zh('timeline_detail_file', { name: '界址现场.png' }));

		const popupOpened = page.waitForEvent('popup');
		await item.getByRole('link', { name: zh('evidence_view') }).click();
		const popup = await popupOpened;
		evidencePath = new URL(popup.url()).pathname;
		expect(evidencePath).toMatch(new RegExp(`^${casePath}/evidence/[0-9a-f-]{36}$`));
		await popup.close();
		const download = await page.request.get(`${evidencePath}?download`);
		expect(download.status()).toBe(200);
		expect(download.headers()['content-type']).toBe('image/png');
		expect(download.headers()['content-disposition']).toMatch(/^attachment;/);
		expect(Buffer.compare(await download.body(), png())).toBe(0);
	});

	await test.step('issue the applicant a private link, shown once, which also serves the evidence', async () => {
		const party = page.locator(`li[data-party="${LAND_APPLICANT}"]`);
		await party.getByRole('button', { name: zh('case_reissue_link') }).click();
		const link = party.locator('.issued-link input');
		await expect(link).toHaveValue(new RegExp(`^${baseURL}/track/[A-Za-z0-9_-]+$`));
		const trackPath = new URL(await link.inputValue()).pathname;
		const evidenceId = evidencePath.split('/').pop();

		const viaLink = await page.request.get(`${trackPath}/evidence/${evidenceId}`);
		expect(viaLink.status()).toBe(200);
		expect(viaLink.headers()['referrer-policy']).toBe('no-referrer');
		expect((await page.request.get(`/track/${'x'.repeat(32)}/evidence/${evidenceId}`)).status()).toBe(404);

		await page.reload();
		await expect(party.locator('.issued-link')).toHaveCount(0);
	});
});

test('accepting a reported dispute and scheduling right away, without a reload, schedules a mediation', async ({
	page,
	loginAs
}) => {
	await loginAs('mediator');
	await openFromList(page, GRID_APPLICANT);
	const accept = page.locator('details[data-transition="accept"]');
	await accept.locator('summary').click();
	// A grid worker's report: the register's source is proposed from it.
	await expect(accept.getByLabel(zh('accept_source'))).toHaveValue('grid_report');
	const confirm = accept.getByRole('button', {
		name: zh('case_transition_confirm', { action: zh('case_transition_accept') })
	});
	// Mediation is voluntary: without the parties' consent confirmed, the case is not accepted.
	await confirm.click();
	await expect(accept.locator('.consent .errors')).toHaveText(zh('accept_consent_required'));
	await expect(statusOf(page)).toHaveText(zh('case_status_submitted'));
	await accept.getByLabel(zh('accept_consent')).check();
	await confirm.click();
	await expect(statusOf(page)).toHaveText(zh('case_status_accepted'));

	const sessions = page.locator('section[aria-labelledby="case-sessions"]');
	await sessions.locator('summary', { hasText: zh('session_schedule') }).click();
	const form = sessions.locator('form[action*="scheduleSession"]');
	// Before the case was accepted a consultation was the only kind: now the mediation is the default.
	await expect(form.getByLabel(zh('session_kind'))).toHaveValue('mediation');
	await form.getByLabel(zh('session_time'), { exact: true }).fill('2026-12-20T14:00');
	await form.locator('label.choice', { hasText: GRID_APPLICANT }).locator('input').check();
	await form.locator('button[type="submit"]').click();
	await expect(sessions.getByRole('status').first()).toContainText(zh('session_scheduled_done'));
	const session = sessions.locator('li[data-session]');
	await expect(session).toHaveAttribute('data-kind', 'mediation');
	await expect(session.locator('[data-session-status]')).toHaveText(zh('session_status_scheduled'));
	await expect(statusOf(page)).toHaveText(zh('case_status_scheduled'));
});

test('a party sees their own case without the committee’s notes, and no one else’s; a grid worker sees what they reported', async ({
	page,
	otherPage,
	loginAs,
	demo
}) => {
	await logIn(otherPage, 'grid', demo.password);
	await expect(otherPage).toHaveURL('/grid');
	const reportedPath = await openFromList(otherPage, GRID_APPLICANT);
	await expect(otherPage.locator('.case-head')).toContainText(zh('case_channel_grid_report'));
	await expect(otherPage.getByRole('heading', { name: zh('case_notes') })).toHaveCount(0);

	await loginAs('party');
	await page
		.getByRole('row')
		.filter({ hasText: zh('dispute_type_land') })
		.getByRole('link')
		.first()
		.click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	await expect(page.locator('.case-head')).toContainText(zh('dispute_type_land'));
	await expect(page.locator(`li[data-party="${LAND_APPLICANT}"]`)).toBeVisible();
	await expect(page.getByRole('heading', { name: zh('case_timeline') })).toBeVisible();
	await expect(page.getByRole('heading', { name: zh('case_notes') })).toHaveCount(0);
	await expect(page.locator('.chain-verdict')).toHaveCount(0);
	await expect(page.locator('a[href^="tel:"]')).toHaveCount(0);
	await expect(page.locator('details[data-transition]')).toHaveCount(0);

	const elsewhere = await page.goto(reportedPath);
	expect(elsewhere?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('error_not_found'));
	expect((await page.request.get(`${reportedPath}/evidence/${crypto.randomUUID()}`)).status()).toBe(404);
	expect((await page.request.get('/cases/not-a-case-id')).status()).toBe(404);
});

test('an admin sees every audit chain of the town intact', async ({ page, loginAs }) => {
	await loginAs('admin');
	await page
		.getByRole('banner')
		.getByRole('link', { name: zh('nav_audit') })
		.click();
	await expect(page).toHaveURL('/admin/audit');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh('audit_title'));
	await expect(page.getByRole('status')).toHaveText(zh('audit_all_intact'));
	await expect(page.locator('[data-count="broken"]')).toHaveText(zh('audit_broken_count', { count: 0 }));

	await field(page, 'case_number').fill('2026-XXX-999999');
	await page.getByRole('button', { name: zh('audit_lookup_submit') }).click();
	await expect(page.getByText(zh('audit_lookup_none', { number: '2026-XXX-999999' }))).toBeVisible();
});
