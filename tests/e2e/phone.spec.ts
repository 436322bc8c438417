import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import { expect, field, holdScripts, logIn, test, zh } from '../support/e2e-test.ts';

/**
 * A villager's cheap phone, 360 px wide: every page a party meets, walked in order with a case of
 * this file's own (applied for in 东村一组, handled by 李明华), fits the screen without sideways
 * scrolling and has no serious or critical accessibility violation that axe-core finds.
 */
const PHONE = { width: 360, height: 740 };
const MEDIATOR = '李明华';
/** The applicant's mobile, this file's own: the SMS they turn off here are no other test's. */
const MOBILE = '13700000360';
const unique = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-4)}`;

async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ viewport: PHONE, hasTouch: true });
	return context.newPage();
}

/** The page is no wider than the phone, and axe-core finds nothing serious or critical on it. */
async function expectFitsAndAccessible(page: Page, what: string): Promise<void> {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width, `${what}: ${width} px wide`).toBeLessThanOrEqual(PHONE.width);
	const { violations } = await new AxeBuilder({ page }).analyze();
	const grave = violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
	expect(grave, what).toEqual([]);
}

/** An hour from now, as a datetime-local field takes it (in the browser's time zone, the test's). */
function inAnHour(): string {
	const soon = new Date(Date.now() + 3_600_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${soon.getFullYear()}-${pad(soon.getMonth() + 1)}-${pad(soon.getDate())}T${pad(soon.getHours())}:${pad(soon.getMinutes())}`;
}

test('every page a party uses fits a 360 px phone and passes axe-core, from the application to the agreement', async ({
	page,
	browser,
	demo
}) => {
	test.setTimeout(300_000);
	const applicant = unique('陈手机');
	const respondent = unique('王手机');
	const party = await phone(browser);

	let trackPath = '';
	await test.step('apply, and follow the case by the private link', async () => {
		await party.goto('/apply');
		await expectFitsAndAccessible(party, 'apply');
		await field(party, 'intake_dispute_type').selectOption({ label: zh('dispute_type_neighbour') });
		await field(party, 'intake_place').selectOption({ label: '东村 · 东村一组' });
		await field(party, 'intake_facts').fill(`邻居${respondent}在两家之间的排水沟上砌墙，雨水倒灌进院子。`);
		await field(party, 'intake_claims').fill('拆除砌墙，恢复排水沟。');
		await party.locator('input[name="applicant.name"]').fill(applicant);
		await party.locator('input[name="applicant.phone"]').fill(MOBILE);
		await party.locator('input[name="respondents.0.name"]').fill(respondent);
		await party.getByRole('button', { name: zh('apply_submit') }).click();
		await expect(party.getByRole('heading', { level: 1 })).toHaveText(zh('apply_done_title'));
		await expectFitsAndAccessible(party, 'apply done');
		await party.getByRole('link', { name: zh('apply_done_open') }).click();
		await expect(party).toHaveURL(/\/track\/[A-Za-z0-9_-]{32}$/);
		trackPath = new URL(party.url()).pathname;
		await expectFitsAndAccessible(party, 'track');
	});

	await test.step('on the tracking page, turn off the follow-up survey SMS; what must be sent cannot be turned off', async () => {
		const sms = party.locator('section[aria-labelledby="track-sms"]');
		await expect(sms).toContainText(`${MOBILE.slice(0, 3)}****${MOBILE.slice(-4)}`);
		await expect(sms).toContainText(zh('notify_kind_agreement_sealed'));
		await expect(sms.getByLabel(zh('notify_kind_agreement_sealed'))).toHaveCount(0);
		await sms.getByLabel(zh('notify_kind_followup_survey')).uncheck();
		await sms.getByRole('button', { name: zh('track_sms_save') }).click();
		await expect(sms.getByRole('status')).toHaveText(zh('track_sms_saved'));
		await expect(sms.getByLabel(zh('notify_kind_followup_survey'))).not.toBeChecked();
		await expect(sms.getByLabel(zh('notify_kind_meeting_reminder_24h'))).toBeChecked();
		await expectFitsAndAccessible(party, 'track, SMS reminders');
		await sms.screenshot({ path: test.info().outputPath('track-sms-360.png') });
		await party.goto(trackPath);
		await expect(sms.getByLabel(zh('notify_kind_followup_survey'))).not.toBeChecked();
	});

	let invitation = { link: '', pin: '' };
	await test.step('the mediator accepts it: both parties have a link of their own; the invitation is ready to send', async () => {
		await logIn(page, 'mediator', demo.password);
		await page.goto('/cases');
		await page.getByRole('row').filter({ hasText: applicant }).getByRole('link').first().click();
		const accept = page.locator('details[data-transition="accept"]');
		await accept.locator('summary').click();
		await accept.getByLabel(zh('accept_consent')).check();
		await accept
			.getByRole('button', { name: zh('case_transition_confirm', { action: zh('case_transition_accept') }) })
			.click();
		await expect(page.locator('.case-head .status')).toHaveText(zh('case_status_accepted'));
		await expect(page.locator(`li[data-party="${applicant}"] .party-link input`)).toHaveValue(
			new RegExp(`${trackPath}$`)
		);
		await expect(page.locator(`li[data-party="${respondent}"] .party-link input`)).toHaveValue(
			/\/track\/[A-Za-z0-9_-]{32}$/
		);

		// Loaded afresh: the form's kind follows the case's status only from the page's load.
		await page.reload();
		const sessions = page.locator('section[aria-labelledby="case-sessions"]');
		await sessions.locator('summary', { hasText: zh('session_schedule') }).click();
		const form = sessions.locator('form[action*="scheduleSession"]');
		await form.getByLabel(zh('session_time'), { exact: true }).fill(inAnHour());
		await form.getByLabel(zh('session_title')).fill('手机调解');
		await form.locator('label.choice', { hasText: applicant }).locator('input').check();
		await form.locator('button[type="submit"]').click();
		const shown = sessions.locator(`[data-invitation="${applicant}"]`);
		invitation = {
			link: await shown.locator('.invitation-link').inputValue(),
			pin: (await shown.locator('.invitation-pin').textContent())!
		};
		const message = await shown.locator('.invitation-message').inputValue();
		for (const part of [applicant, invitation.link, invitation.pin, zh('session_kind_mediation')])
			expect(message).toContain(part);
		await shown.getByRole('button', { name: `${zh('copy_button')} ${zh('session_invitation_pin')}` }).click();
		await expect(shown.getByText(zh('copy_done'))).toBeVisible();
	});

	await test.step('join with the link and PIN, read and acknowledge the notice, check the devices, wait in the lobby', async () => {
		await party.goto(invitation.link);
		await expectFitsAndAccessible(party, 'join');
		await party.getByLabel(zh('join_pin')).fill(invitation.pin);
		await party.getByRole('button', { name: zh('join_submit') }).click();
		// The rights and duties notice comes first: nobody is let into the mediation before acknowledging it.
		await expect(party.getByRole('heading', { name: zh('notice_title') })).toBeVisible();
		await expect(party.locator('.notice')).toContainText('要求调解公开进行或者不公开进行');
		await expectFitsAndAccessible(party, 'notice');
		await party.screenshot({ path: test.info().outputPath('notice-360.png'), fullPage: true });
		await party.getByLabel(zh('notice_choice_closed')).check();
		await party.getByRole('button', { name: zh('notice_acknowledge') }).click();
		await expect(party.getByRole('heading', { name: zh('device_check_title') })).toBeVisible();
		await expectFitsAndAccessible(party, 'device check');
		await party.getByRole('button', { name: zh('device_join'), exact: true }).click();
		await expect(party.locator('section.room[data-space="lobby"]')).toBeVisible();
		await expectFitsAndAccessible(party, 'lobby');
	});

	await test.step('admitted to the room: tiles name people on one line, without bit rates', async () => {
		await page
			.locator('section[aria-labelledby="case-sessions"] li[data-session]', { hasText: '手机调解' })
			.getByRole('link', { name: zh('session_enter_room') })
			.click();
		await page.getByRole('button', { name: zh('device_join'), exact: true }).click();
		await page
			.locator('.people ul.lobby li', { hasText: applicant })
			.getByRole('button', { name: zh('room_admit') })
			.click();
		await expect(party.locator('section.room[data-space="joint"]')).toBeVisible();
		const tile = party.locator('figure.tile', { hasText: MEDIATOR });
		await expect(tile).toBeVisible();
		await expect(party.locator('.kbps')).toHaveCount(0);
		const caption = (await tile.locator('figcaption').boundingBox())!;
		const line = await tile.locator('.name').evaluate((name) => parseFloat(getComputedStyle(name).lineHeight));
		expect(caption.height).toBeLessThan(line * 2);
		await expectFitsAndAccessible(party, 'room');
	});

	await test.step('the case page shows the acknowledgement and tells the mediator the party wants a closed session', async () => {
		const casePage = await page.context().newPage();
		await casePage.goto('/cases');
		await casePage.getByRole('row').filter({ hasText: applicant }).getByRole('link').first().click();
		const acknowledged = casePage.locator(`li[data-acknowledgement="${applicant}"]`);
		await expect(acknowledged).toHaveAttribute('data-current', 'true');
		await expect(acknowledged.locator('[data-session-choice]')).toHaveText(zh('notice_choice_closed_short'));
		await expect(casePage.locator('[data-closed-session]')).toContainText(applicant);
		await expect(casePage.locator('.case-timeline > li[data-action="notice.acknowledged"]')).toContainText(applicant);
		await casePage.close();
	});

	await test.step('the agreement takes the phone’s screen; its signing form flows with the page', async () => {
		await page.getByRole('button', { name: zh('draft_show') }).click();
		const versions = page.locator('section.draft .draft-versions');
		await versions.getByLabel(zh('draft_version_name')).fill('签署稿');
		await versions.getByRole('button', { name: zh('draft_version_save') }).click();
		page.once('dialog', (dialog) => void dialog.accept());
		await versions
			.locator('li[data-version="签署稿"]')
			.getByRole('button', { name: zh('draft_version_freeze') })
			.click();

		await party.getByRole('button', { name: zh('draft_show') }).click();
		const draft = party.locator('section.draft');
		const submit = draft.getByRole('button', { name: zh('sign_submit'), exact: true });
		await expect(submit).toBeAttached();
		// The agreement comes before the video, and nothing around the form scrolls on its own.
		const draftTop = (await draft.boundingBox())!.y;
		expect(draftTop).toBeLessThan((await party.locator('.stage').boundingBox())!.y);
		const scrollBoxes = await submit.evaluate((button) => {
			const boxes: string[] = [];
			for (let node = button.parentElement; node && node !== document.body; node = node.parentElement) {
				if (['auto', 'scroll'].includes(getComputedStyle(node).overflowY)) boxes.push(node.className);
			}
			return boxes;
		});
		expect(scrollBoxes).toEqual([]);
		await expect(draft.getByText(zh('sign_pad_prompt'))).toBeVisible();
		await expectFitsAndAccessible(party, 'agreement and signing');
	});

	await test.step('when the meeting ends, the room points the party to their case page, which lists it', async () => {
		page.once('dialog', (dialog) => void dialog.accept());
		await page.locator('[data-control="end"]').click();
		await expect(party.locator('[data-exit="ended"]')).toBeVisible();
		await expectFitsAndAccessible(party, 'room ended');
		await party.getByRole('link', { name: zh('room_track_link') }).click();
		await expect(party).toHaveURL(trackPath);
		await expect(party.locator('.sessions li')).toContainText(zh('session_status_ended'));
		await expect(party.locator('section.agreement')).toContainText(zh('track_agreement_frozen'));
		await expectFitsAndAccessible(party, 'track after the meeting');
		// The invitation, opened again on the phone that joined with it, points there too.
		await party.goto(invitation.link);
		await expect(party.locator('[data-refusal="ended"]')).toBeVisible();
		await expect(party.getByRole('link', { name: zh('room_track_link') })).toHaveAttribute('href', trackPath);
	});

	await test.step('the verification page and the log-in page', async () => {
		await party.goto('/verify');
		await expectFitsAndAccessible(party, 'verify');
		await party.goto('/login');
		await expectFitsAndAccessible(party, 'login');
	});
});

test('a larger-text setting in the header applies to every page and stays on the device', async ({ page }) => {
	test.slow();
	await page.setViewportSize(PHONE);
	await page.goto('/apply');
	const rootSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
	expect(await rootSize()).toBe('16px');
	const toggle = page.getByRole('banner').getByRole('button', { name: zh('text_size_large') });
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-pressed', 'true');
	expect(await rootSize()).toBe('20px');
	await expect(page).toHaveURL('/apply');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(PHONE.width);

	await page.goto('/verify');
	expect(await rootSize()).toBe('20px');
	await page.reload();
	expect(await rootSize()).toBe('20px');
	await page
		.getByRole('banner')
		.getByRole('button', { name: zh('text_size_large') })
		.click();
	await expect(page.getByRole('banner').getByRole('button', { name: zh('text_size_large') })).toHaveAttribute(
		'aria-pressed',
		'false'
	);
	expect(await rootSize()).toBe('16px');
});

test('on a slow connection, a section opened and begun before the page’s scripts load stays open, with what was typed', async ({
	page
}) => {
	await page.setViewportSize(PHONE);
	const releaseScripts = await holdScripts(page);
	await page.goto('/apply', { waitUntil: 'domcontentloaded' });
	const more = page.locator('details.more').first();
	await more.locator('summary').click();
	await field(more, 'party_id_number').fill('110101199003071234');

	releaseScripts();
	await page.waitForLoadState('networkidle');
	await expect(more).toHaveAttribute('open', '');
	await expect(field(more, 'party_id_number')).toHaveValue('110101199003071234');
});
