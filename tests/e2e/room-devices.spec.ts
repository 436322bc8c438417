/**
 * A party's own devices and controls: the device check, the camera, the screen, leaving, and a
 * browser that refuses camera and microphone.
 */
import type { Locator } from '@playwright/test';
import { expect, test, zh } from '../support/e2e-test.ts';
import {
	APPLICANT,
	enterPin,
	enterRoom,
	expectReceiving,
	joinWithDevices,
	MEDIATOR,
	mediatorSchedules,
	tile,
	type RoomDump
} from '../support/e2e-room.ts';

test('a party checks their devices, comes back to the lobby after a reload, turns the camera off and on, shares the screen and leaves', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(180_000);
	const invitations = await mediatorSchedules(page, demo.password, '设备与控件', [APPLICANT]);
	const applicant = await (await browser.newContext()).newPage();
	await enterPin(applicant, invitations[APPLICANT]);

	await test.step('the device check previews the camera, shows the microphone’s level and takes another microphone', async () => {
		const preview = applicant.locator('.device-check video');
		await expect.poll(() => preview.evaluate((video: HTMLVideoElement) => video.videoWidth)).toBeGreaterThan(0);
		const meter = applicant.getByRole('meter', { name: zh('device_level') });
		// The fake microphone beeps about once a second: each look follows the meter for longer than that.
		await expect.poll(() => highestLevel(meter)).toBeGreaterThan(0);
		await expect(applicant.getByRole('combobox', { name: zh('device_camera') }).locator('option')).not.toHaveCount(0);
		const microphone = applicant.getByRole('combobox', { name: zh('device_microphone') });
		await expect(microphone).toBeEnabled();
		const current = await microphone.inputValue();
		const options = await microphone
			.locator('option')
			.evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
		const other = options.find((id) => id !== current);
		expect(other, 'Chromium’s fake devices offer more than one microphone').toBeDefined();
		await microphone.selectOption(other!);
		// The check opens the chosen microphone, and reads the choice back from the opened track.
		await expect(microphone).toBeEnabled();
		await expect(microphone).toHaveValue(other!);
		// The fake microphone beeps about once a second: each look follows the meter for longer than that.
		await expect.poll(() => highestLevel(meter)).toBeGreaterThan(0);
	});

	const sessionId = await enterRoom(page, '设备与控件');
	const waiting = page.locator('.people ul.lobby li', { hasText: APPLICANT });
	await test.step('a reload in the lobby puts the party back in the lobby, once', async () => {
		await joinWithDevices(applicant);
		await expect(applicant.locator('section.room[data-space="lobby"]')).toBeVisible();
		await expect(waiting).toHaveCount(1);
		await applicant.reload();
		await joinWithDevices(applicant);
		await expect(applicant.locator('section.room[data-space="lobby"]')).toBeVisible();
		await expect(waiting).toHaveCount(1);
		await waiting.getByRole('button', { name: zh('room_admit') }).click();
		await expectReceiving(page, APPLICANT);
	});

	await test.step('the camera turned off shows the party’s initial to the others; turned on, video again', async () => {
		const camera = applicant.locator('[data-control="camera"]');
		await camera.click();
		await expect(camera).toHaveAttribute('aria-pressed', 'false');
		await expect(tile(page, APPLICANT).locator('video')).toHaveCount(0);
		await expect(tile(page, APPLICANT).locator('.avatar')).toHaveText(APPLICANT.slice(0, 1));
		await camera.click();
		await expect(camera).toHaveAttribute('aria-pressed', 'true');
		await expectReceiving(page, APPLICANT);
	});

	await test.step('a shared screen reaches the others as a tile of its own, and goes when stopped', async () => {
		const screen = applicant.locator('[data-control="screen"]');
		const shown = page.locator('figure.tile[data-source="screen"]', { hasText: APPLICANT });
		await screen.click();
		await expect(screen).toHaveAttribute('aria-pressed', 'true');
		await expect(shown).toBeVisible();
		await expect.poll(async () => Number(await shown.getAttribute('data-video-frames'))).toBeGreaterThan(0);
		await screen.click();
		await expect(screen).toHaveAttribute('aria-pressed', 'false');
		await expect(shown).toHaveCount(0);
	});

	await test.step('leaving tells the party so and takes them out of the room', async () => {
		await applicant.locator('[data-control="leave"]').click();
		await expect(applicant.locator('.exit[data-exit="left"]')).toContainText(zh('room_exit_left'));
		await expect(tile(page, APPLICANT)).toHaveCount(0);
		await expect(page.locator('.people li', { hasText: APPLICANT })).toHaveCount(0);
		const dump = (await (await page.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
		expect(dump.peers.map((p) => p.displayName)).toEqual([MEDIATOR]);
	});
	await applicant.context().close();
});

test('a party whose browser refuses camera and microphone is told why and joins listen-only', async ({
	page,
	demo,
	browser
}) => {
	test.setTimeout(120_000);
	const invitations = await mediatorSchedules(page, demo.password, '只听不说', [APPLICANT]);
	const applicant = await (await browser.newContext()).newPage();
	// As when the person clicked "Block" on the browser's permission prompt.
	await applicant.addInitScript(() => {
		navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
	});
	await enterPin(applicant, invitations[APPLICANT]);
	await expect(applicant.getByRole('alert')).toHaveText(zh('device_denied'));
	await expect(applicant.getByRole('button', { name: zh('device_join'), exact: true })).toHaveCount(0);
	await applicant.getByRole('button', { name: zh('device_join_listen_only') }).click();
	await expect(applicant.locator('section.room[data-space="lobby"]')).toBeVisible();

	const sessionId = await enterRoom(page, '只听不说');
	await page
		.locator('.people ul.lobby li', { hasText: APPLICANT })
		.getByRole('button', { name: zh('room_admit') })
		.click();
	await expectReceiving(applicant, MEDIATOR);
	await expect(tile(page, APPLICANT).getByTitle(zh('room_mic_off'))).toBeVisible();
	const dump = (await (await page.request.get(`/sessions/${sessionId}/room/state`)).json()) as RoomDump;
	expect(dump.peers.find((p) => p.displayName === APPLICANT)!.producers).toEqual([]);
	await applicant.context().close();
});

/** The highest level the meter showed in the next 1.5 s. */
function highestLevel(meter: Locator): Promise<number> {
	return meter.evaluate(
		(element) =>
			new Promise<number>((resolve) => {
				let highest = Number(element.getAttribute('aria-valuenow'));
				const observer = new MutationObserver(() => {
					highest = Math.max(highest, Number(element.getAttribute('aria-valuenow')));
				});
				observer.observe(element, { attributes: true, attributeFilter: ['aria-valuenow'] });
				setTimeout(() => {
					observer.disconnect();
					resolve(highest);
				}, 1500);
			})
	);
}
