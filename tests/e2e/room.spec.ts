import type { Browser, Page } from '@playwright/test';
import { expect, logIn, test, zh } from '../fixtures/e2e-test.ts';

/**
 * A live mediation in Chromium with fake camera and microphone. Only this file uses the 东村
 * noise case (陈桂芳 v 林志强, accepted, handled by 李明华 of the 东村 committee): it schedules
 * a session, both parties join by link and PIN, and the mediator runs the room.
 */
const MEDIATOR = '李明华';
const APPLICANT = '陈桂芳';
const RESPONDENT = '林志强';

type Invitation = { link: string; pin: string };
type RoomDump = {
	peers: {
		id: string;
		displayName: string;
		space: string;
		producers: { id: string }[];
		consumers: { producerId: string }[];
	}[];
};

/** The tile of `name`'s camera on `page`. */
const tile = (page: Page, name: string) => page.locator('figure.tile[data-source="camera"]', { hasText: name });
const numberOf = async (page: Page, name: string, attribute: string) =>
	Number(await tile(page, name).getAttribute(attribute));

/** `page` receives `name`'s audio and video: bytes keep arriving and frames keep being decoded. */
async function expectReceiving(page: Page, name: string): Promise<void> {
	await expect(tile(page, name)).toBeVisible();
	for (const attribute of ['data-video-frames', 'data-audio-bytes']) {
		const before = await numberOf(page, name, attribute);
		await expect
			.poll(() => numberOf(page, name, attribute), { timeout: 20_000, message: `${attribute} of ${name}` })
			.toBeGreaterThan(before);
	}
}

async function joinWithDevices(page: Page): Promise<void> {
	await page.getByRole('button', { name: zh('device_join'), exact: true }).click();
	await expect(page.locator('[data-phase="joined"]')).toBeVisible();
}

/** Someone invited opens their link in a browser of their own, enters the PIN and joins. */
async function guest(browser: Browser, invitation: Invitation): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await page.goto(invitation.link);
	await page.getByLabel(zh('join_pin')).fill(invitation.pin);
	await page.getByRole('button', { name: zh('join_submit') }).click();
	await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\/room$/);
	await expect(page.getByRole('heading', { name: zh('device_check_title') })).toBeVisible();
	await joinWithDevices(page);
	return page;
}

async function say(page: Page, text: string): Promise<void> {
	await page.getByLabel(zh('room_chat_input')).fill(text);
	await page.getByRole('button', { name: zh('room_chat_send') }).click();
	await expect(page.locator('.chat li', { hasText: text })).toBeVisible();
}

test('a mediator admits two parties, all see and hear each other, a caucus isolates one party, chat follows the spaces', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(240_000);
	await logIn(page, 'mediator', demo.password);
	await page.goto('/cases');
	await page.getByRole('row').filter({ hasText: APPLICANT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	const caseUrl = page.url();
	const sessions = page.locator('section[aria-labelledby="case-sessions"]');

	const invitations: Record<string, Invitation> = {};
	await test.step('schedule a mediation with both parties invited', async () => {
		await sessions.locator('summary', { hasText: zh('session_schedule') }).click();
		const form = sessions.locator('form[action*="scheduleSession"]');
		const day = new Date(Date.now() + 3_600_000);
		const pad = (n: number) => String(n).padStart(2, '0');
		const local = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}T${pad(day.getHours())}:${pad(day.getMinutes())}`;
		await form.getByLabel(zh('session_time'), { exact: true }).fill(local);
		await form.getByLabel(zh('session_title')).fill('噪音纠纷调解');
		for (const name of [APPLICANT, RESPONDENT])
			await form.locator('label.choice', { hasText: name }).locator('input').check();
		await form.locator('button[type="submit"]').click();
		for (const name of [APPLICANT, RESPONDENT]) {
			const shown = sessions.locator(`[data-invitation="${name}"]`);
			invitations[name] = {
				link: await shown.locator('.invitation-link').inputValue(),
				pin: (await shown.locator('.invitation-pin').textContent())!
			};
		}
	});

	const applicant = await guest(browser, invitations[APPLICANT]);
	const respondent = await guest(browser, invitations[RESPONDENT]);
	await test.step('the parties wait in the lobby, where no media flows', async () => {
		for (const party of [applicant, respondent]) {
			await expect(party.locator('section.room[data-space="lobby"]')).toBeVisible();
			await expect(party.getByText(zh('room_lobby_wait'))).toBeVisible();
			await expect(party.locator('figure.tile')).toHaveCount(0);
		}
	});

	let sessionId = '';
	await test.step('the mediator enters with the account, sees who waits and admits both', async () => {
		await sessions
			.locator('li[data-session]', { hasText: '噪音纠纷调解' })
			.getByRole('link', { name: zh('session_enter_room') })
			.click();
		await joinWithDevices(page);
		sessionId = (await page.locator('[data-session]').first().getAttribute('data-session'))!;
		await expect(page.locator('section.room[data-space="joint"]')).toBeVisible();
		const lobby = page.locator('.people ul.lobby');
		for (const name of [APPLICANT, RESPONDENT]) {
			await lobby
				.locator('li', { hasText: name })
				.getByRole('button', { name: zh('room_admit') })
				.click();
		}
		await expect(lobby).toHaveCount(0);
		for (const party of [applicant, respondent])
			await expect(party.locator('section.room[data-space="joint"]')).toBeVisible();
	});

	await test.step('everyone receives everyone else’s audio and video', async () => {
		for (const [viewer, others] of [
			[page, [APPLICANT, RESPONDENT]],
			[applicant, [MEDIATOR, RESPONDENT]],
			[respondent, [MEDIATOR, APPLICANT]]
		] as const) {
			for (const name of others) await expectReceiving(viewer, name);
		}
	});

	await test.step('a caucus with the applicant: the respondent sees and holds nothing of it', async () => {
		await page
			.locator('.people li[data-space="joint"]', { hasText: APPLICANT })
			.getByRole('button', { name: zh('room_open_caucus') })
			.click();
		await expect(page.locator('section.room[data-space^="caucus:"]')).toBeVisible();
		await expect(applicant.locator('section.room[data-space^="caucus:"]')).toBeVisible();
		await expect(applicant.getByText(zh('room_in_caucus'))).toBeVisible();
		await expect(respondent.locator('section.room[data-space="joint"]')).toBeVisible();

		await expectReceiving(applicant, MEDIATOR);
		await expectReceiving(page, APPLICANT);
		// The respondent's page shows no one else, and the server holds no consumer of theirs for the caucus.
		await expect(respondent.locator('figure.tile')).toHaveCount(1);
		await expect(tile(respondent, APPLICANT)).toHaveCount(0);
		const dump = (await (await page.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
		const byName = (name: string) => dump.peers.find((p) => p.displayName === name)!;
		const caucusProducers = [...byName(MEDIATOR).producers, ...byName(APPLICANT).producers].map((p) => p.id);
		expect(caucusProducers.length).toBeGreaterThanOrEqual(4);
		expect(byName(RESPONDENT).space).toBe('joint');
		expect(byName(RESPONDENT).consumers.filter((c) => caucusProducers.includes(c.producerId))).toEqual([]);
	});

	await test.step('chat stays in its space', async () => {
		await say(applicant, '我愿意让一步，但要先道歉');
		await expect(page.locator('.chat li', { hasText: '我愿意让一步' })).toBeVisible();
		await say(respondent, '我在联合会谈里等');
		await expect(respondent.locator('.chat li', { hasText: '我愿意让一步' })).toHaveCount(0);
		await expect(page.locator('.chat li', { hasText: '我在联合会谈里等' })).toHaveCount(0);
	});

	await test.step('closing the caucus brings joint media and the joint chat back', async () => {
		await page.getByRole('button', { name: zh('room_close_caucus') }).click();
		for (const viewer of [page, applicant, respondent])
			await expect(viewer.locator('section.room[data-space="joint"]')).toBeVisible();
		await expectReceiving(respondent, APPLICANT);
		await expectReceiving(respondent, MEDIATOR);
		await expectReceiving(applicant, RESPONDENT);
		await expect(applicant.locator('.chat li', { hasText: '我在联合会谈里等' })).toBeVisible();
	});

	await test.step('a reload puts a party back where they were', async () => {
		await respondent.reload();
		await joinWithDevices(respondent);
		await expect(respondent.locator('section.room[data-space="joint"]')).toBeVisible();
		await expectReceiving(respondent, MEDIATOR);
		await expect(page.locator('.people li', { hasText: RESPONDENT })).toHaveCount(1);
	});

	await test.step('the chat is kept with the case', async () => {
		const caseView = await page.context().newPage();
		await caseView.goto(caseUrl);
		const transcript = caseView.locator('li[data-session]', { hasText: '噪音纠纷调解' }).locator('.session-chat');
		await expect(transcript).toContainText('我愿意让一步，但要先道歉');
		await expect(transcript).toContainText('我在联合会谈里等');
		await caseView.close();
	});

	for (const party of [applicant, respondent]) await party.context().close();
});
