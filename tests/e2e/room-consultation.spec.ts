/**
 * A legal consultation the mediator asks for, run in the room by the case's expert.
 */
import { expect, logIn, test, zh } from '../support/e2e-test.ts';
import {
	EXPERT,
	enterRoom,
	expectReceiving,
	inAnHour,
	joinWithDevices,
	MEDIATOR,
	openCase
} from '../support/e2e-room.ts';

test('a legal consultation: the mediator asks the case’s expert, who accepts it and runs the room with them', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(180_000);
	const agenda = '噪音赔偿有没有法律依据？';
	await logIn(page, 'mediator', demo.password);
	const caseUrl = await openCase(page);
	await test.step('the mediator invites the expert to the case and asks for a consultation', async () => {
		const invite = page.locator('form[action="?/invite#case-experts"]');
		await invite.getByLabel(zh('case_invite_expert')).selectOption({ label: EXPERT });
		await invite.getByRole('button').click();
		await expect(page.locator('section[aria-labelledby="case-experts"] li', { hasText: EXPERT })).toBeVisible();
		const sessions = page.locator('section[aria-labelledby="case-sessions"]');
		await sessions.locator('summary', { hasText: zh('session_request_consultation') }).click();
		const form = sessions.locator('form[action*="requestConsultation"]');
		await form.getByLabel(zh('session_request_expert')).selectOption({ label: EXPERT });
		await form.getByLabel(zh('session_request_time'), { exact: true }).fill(inAnHour());
		await form.getByLabel(zh('session_request_agenda')).fill(agenda);
		await form.locator('button[type="submit"]').click();
		await expect(sessions.locator('li[data-kind="consultation"]', { hasText: agenda })).toBeVisible();
	});

	const expert = await (await browser.newContext()).newPage();
	await test.step('the expert accepts it on the case page and goes straight into the room, as its host', async () => {
		await logIn(expert, 'expert', demo.password);
		await expert.goto(caseUrl);
		const consultation = expert.locator('li[data-kind="consultation"]', { hasText: agenda });
		await consultation.getByRole('button', { name: zh('session_accept') }).click();
		await consultation.getByRole('link', { name: zh('session_enter_room') }).click();
		await joinWithDevices(expert);
		await expect(expert.locator('section.room[data-space="joint"]')).toBeVisible();
		await expect(expert.locator('[data-control="end"]')).toBeVisible();
	});

	await test.step('the mediator joins them, and each sees and hears the other', async () => {
		// The case page the mediator had open still shows the request as waiting for the expert.
		await page.reload();
		await enterRoom(page, agenda);
		await expect(page.locator('section.room[data-space="joint"]')).toBeVisible();
		await expectReceiving(page, EXPERT);
		await expectReceiving(expert, MEDIATOR);
	});
	await expert.context().close();
});
