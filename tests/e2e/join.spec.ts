import { devices, type Browser, type Page } from '@playwright/test';
import { expect, logIn, test, zh } from '../support/e2e-test.ts';

/**
 * Sessions and invitations in the demo town. Only this file changes the
 * 西村 walk-in case (郑小红 v 王大山, in mediation, handled by 张秀英 of the
 * town committee): it schedules a session of it and invites both parties.
 */
const APPLICANT = '郑小红';
const RESPONDENT = '王大山';
/** Words of the case's facts, which an invitation must never show. */
const FACTS = '狗咬伤';

/** A wall-clock time tomorrow at 10:00, as a datetime-local input takes it. */
function tomorrowAtTen(): string {
	const day = new Date(Date.now() + 86_400_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}T10:00`;
}

/** A phone of its own, with nobody logged in: how an invited party opens their link. */
async function phone(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ ...devices['Pixel 7'] });
	return context.newPage();
}

test('a mediator schedules a session, a party joins on a phone with the link and PIN, a revoked link is refused', async ({
	page,
	demo,
	browser
}) => {
	test.slow();
	await logIn(page, 'mediator2', demo.password);
	await expect(page).toHaveURL('/mediator');
	await page
		.getByRole('banner')
		.getByRole('link', { name: zh('nav_cases'), exact: true })
		.click();
	await page.getByRole('row').filter({ hasText: APPLICANT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	const sessions = page.locator('section[aria-labelledby="case-sessions"]');

	const invitations: Record<string, { link: string; pin: string }> = {};
	await test.step('schedule a session for both parties: each invitation is shown once', async () => {
		await sessions.locator('summary', { hasText: zh('session_schedule') }).click();
		const form = sessions.locator('form[action*="scheduleSession"]');
		await form.getByLabel(zh('session_time'), { exact: true }).fill(tomorrowAtTen());
		await form.getByLabel(zh('session_title')).fill('第二次调解');
		await form.locator('label.choice', { hasText: APPLICANT }).locator('input').check();
		await form.locator('label.choice', { hasText: RESPONDENT }).locator('input').check();
		await form.locator('button[type="submit"]').click();

		await expect(sessions.getByRole('status').first()).toContainText(zh('session_scheduled_done'));
		for (const name of [APPLICANT, RESPONDENT]) {
			const shown = sessions.locator(`[data-invitation="${name}"]`);
			const link = await shown.locator('.invitation-link').inputValue();
			expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\/[A-Za-z0-9_-]{32}$/);
			const pin = (await shown.locator('.invitation-pin').textContent())!;
			expect(pin).toMatch(/^\d{6}$/);
			invitations[name] = { link, pin };
		}
		const session = sessions.locator('li[data-session]', { hasText: '第二次调解' });
		await expect(session.locator('[data-session-status]')).toHaveText(zh('session_status_scheduled'));
		await expect(session.locator(`li[data-participant="${APPLICANT}"] [data-state]`)).toHaveText(
			zh('invitation_state_open')
		);

		await page.reload();
		await expect(sessions.locator('[data-invitation]')).toHaveCount(0);
	});

	const party = await phone(browser);
	await test.step('on a phone, the link shows the session but not the case; a wrong PIN says how many tries are left', async () => {
		await party.goto(invitations[APPLICANT].link);
		await expect(party.getByRole('heading', { name: zh('join_title') })).toBeVisible();
		await expect(party.locator('.lead')).toContainText('张秀英');
		await expect(party.locator('body')).not.toContainText(FACTS);
		const pin = party.getByLabel(zh('join_pin'));
		await expect(pin).toHaveAttribute('inputmode', 'numeric');
		await expect(pin).toHaveAttribute('autocomplete', 'one-time-code');

		const wrong = String((Number(invitations[APPLICANT].pin) + 1) % 1_000_000).padStart(6, '0');
		await pin.fill(wrong);
		await party.getByRole('button', { name: zh('join_submit') }).click();
		await expect(party.getByRole('alert')).toHaveText(zh('join_wrong_pin', { count: 4 }));
	});

	await test.step('the right PIN leads into the room, which knows the party by name', async () => {
		await party.getByLabel(zh('join_pin')).fill(invitations[APPLICANT].pin);
		await party.getByRole('button', { name: zh('join_submit') }).click();
		await expect(party).toHaveURL(/\/sessions\/[0-9a-f-]{36}\/room$/);
		await expect(party.locator('[data-participant-role="party"]')).toHaveText(
			zh('room_you_are', { name: APPLICANT, role: zh('participant_role_party') })
		);
		await expect(party.getByRole('heading', { name: zh('device_check_title') })).toBeVisible();
		const cookie = (await party.context().cookies()).find((c) => c.name === 'tj_join');
		expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

		// The link opened again on the same phone goes straight back in.
		await party.goto(invitations[APPLICANT].link);
		await expect(party).toHaveURL(/\/sessions\/[0-9a-f-]{36}\/room$/);
	});

	await test.step('the join is on the case’s timeline; the mediator enters the room with their account', async () => {
		await page.reload();
		await expect(page.locator('.case-timeline > li[data-action="session.joined"]').last()).toContainText(APPLICANT);
		await expect(page.locator('.case-timeline > li[data-action="session.pin_failed"]').last()).toContainText(APPLICANT);
		const session = sessions.locator('li[data-session]', { hasText: '第二次调解' });
		await session.getByRole('link', { name: zh('session_enter_room') }).click();
		await expect(page.locator('[data-participant-role="mediator"]')).toHaveText(
			zh('room_you_are', { name: '张秀英', role: zh('participant_role_mediator') })
		);
		await page.goBack();
	});

	await test.step('a revoked invitation’s link says so', async () => {
		const session = sessions.locator('li[data-session]', { hasText: '第二次调解' });
		const respondent = session.locator(`li[data-participant="${RESPONDENT}"]`);
		await respondent.getByRole('button', { name: zh('session_revoke') }).click();
		await expect(respondent.getByRole('status')).toHaveText(zh('session_revoke_done', { name: RESPONDENT }));
		await expect(respondent.locator('[data-state]')).toHaveText(zh('invitation_state_revoked'));

		const other = await phone(browser);
		await other.goto(invitations[RESPONDENT].link);
		await expect(other.getByRole('alert')).toHaveText(zh('join_revoked'));
		await expect(other.getByLabel(zh('join_pin'))).toHaveCount(0);
		await other.context().close();
	});
	await party.context().close();
});

test('a link that was never issued, or was replaced, is not found, in words an invited person can act on', async ({
	browser
}) => {
	const party = await phone(browser);
	const response = await party.goto(`/join/${'x'.repeat(32)}`);
	expect(response?.status()).toBe(404);
	await expect(party.getByRole('alert')).toHaveText(zh('join_unknown'));
	await party.context().close();
});
