/**
 * A mediation run in the room: admitting, media both ways, who speaks, simulcast layers, a caucus,
 * chat by space, a reload, and the chat kept with the case.
 */
import type { Page } from '@playwright/test';
import { expect, logIn, test, zh } from '../support/e2e-test.ts';
import {
	admitFromLobby,
	APPLICANT,
	enterRoom,
	expectAllReceiving,
	expectLeftOut,
	expectReceiving,
	guest,
	inboundBytes,
	joinWithDevices,
	MEDIATOR,
	openCase,
	RESPONDENT,
	say,
	scheduleSession,
	tile,
	type RoomDump
} from '../support/e2e-room.ts';

test('a mediator admits two parties, all see and hear each other, a caucus isolates one party, chat follows the spaces', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(240_000);
	await logIn(page, 'mediator', demo.password);
	const caseUrl = await openCase(page);

	const invitations = await test.step('schedule a mediation with both parties invited', () =>
		scheduleSession(page, '噪音纠纷调解', [APPLICANT, RESPONDENT]));

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
		sessionId = await enterRoom(page, '噪音纠纷调解');
		await expect(page.locator('section.room[data-space="joint"]')).toBeVisible();
		await admitFromLobby(page, [
			[applicant, APPLICANT],
			[respondent, RESPONDENT]
		]);
	});

	await test.step('everyone receives everyone else’s audio and video', () =>
		expectAllReceiving([
			[page, MEDIATOR],
			[applicant, APPLICANT],
			[respondent, RESPONDENT]
		]));

	await test.step('whoever alone speaks is highlighted on the others’ pages; muted microphones show as muted', async () => {
		// Chromium's fake microphones all beep alike, so with all open the loudest changes from one
		// moment to the next. With one open, the room's audio level observer can name only that one.
		const everyone = [
			[page, MEDIATOR],
			[applicant, APPLICANT],
			[respondent, RESPONDENT]
		] as const;
		const setMic = async (viewer: Page, on: boolean) => {
			const button = viewer.locator('[data-control="mic"]');
			if ((await button.getAttribute('aria-pressed')) !== String(on)) await button.click();
			await expect(button).toHaveAttribute('aria-pressed', String(on));
		};
		const highlighted = (viewer: Page) => viewer.locator('figure.tile.speaking');
		for (const [speaker, speakerName] of [everyone[0], everyone[1]]) {
			for (const [viewer] of everyone) await setMic(viewer, viewer === speaker);
			for (const [listener, listenerName] of everyone) {
				if (listener === speaker) {
					// A page never highlights its own tile.
					await expect(highlighted(listener)).toHaveCount(0);
					continue;
				}
				await expect(highlighted(listener)).toHaveCount(1);
				await expect(highlighted(listener)).toContainText(speakerName);
				await expect(tile(speaker, listenerName).getByTitle(zh('room_mic_off'))).toBeVisible();
			}
		}
		for (const [viewer] of everyone) await setMic(viewer, true);
		await expect(tile(page, APPLICANT).getByTitle(zh('room_mic_off'))).toHaveCount(0);
	});

	await test.step('each video consumer’s simulcast layer follows the size of its tile', async () => {
		const layers = async () => {
			const dump = (await (await page.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
			const mediator = dump.peers.find((p) => p.displayName === MEDIATOR)!;
			return mediator.consumers.map((c) => c.spatialLayer).filter((layer) => layer !== undefined);
		};
		// A phone-sized window: small tiles take the smallest layer; a wide one, a larger layer.
		await page.setViewportSize({ width: 420, height: 800 });
		await expect.poll(layers).toEqual([0, 0]);
		await page.setViewportSize({ width: 1600, height: 900 });
		await expect.poll(layers).toEqual([1, 1]);
	});

	await test.step('a caucus with the applicant: the respondent sees and holds nothing of it', async () => {
		// Before it, the respondent's statistics show the others' streams coming in.
		expect(Object.values(await inboundBytes(respondent)).filter((bytes) => bytes > 0).length).toBeGreaterThanOrEqual(4);
		await page
			.locator('.people li[data-space="joint"]', { hasText: APPLICANT })
			.getByRole('button', { name: zh('room_open_caucus') })
			.click();
		await expect(page.locator('section.room[data-space^="caucus:"]')).toBeVisible();
		await expect(applicant.locator('section.room[data-space^="caucus:"]')).toBeVisible();
		await expect(applicant.getByText(zh('room_in_caucus'))).toBeVisible();
		await expect(respondent.locator('section.room[data-space="joint"]')).toBeVisible();
		// Those inside are told who hears them; the one left outside, who is away and that they wait.
		await expect(applicant.locator('[data-banner="caucus"]')).toContainText(
			zh('room_caucus_hearers', { names: MEDIATOR })
		);
		await expect(
			respondent.getByRole('status').filter({ hasText: zh('room_caucus_elsewhere', { names: APPLICANT }) })
		).toBeVisible();
		await expect(respondent.getByText(zh('room_in_joint'))).toHaveCount(0);

		await expectReceiving(applicant, MEDIATOR);
		await expectReceiving(page, APPLICANT);
		// The respondent's page shows no one else and receives nothing at all, while the caucus talks on;
		// the server holds no consumer of theirs for the caucus.
		await expectLeftOut(page, sessionId, [respondent, RESPONDENT], [MEDIATOR, APPLICANT], () =>
			expectReceiving(applicant, MEDIATOR)
		);
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
		await expect(respondent.getByText(zh('room_in_joint'))).toBeVisible();
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
