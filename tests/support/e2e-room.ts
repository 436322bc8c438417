/**
 * A live mediation in Chromium with fake camera and microphone, for the room specs (room-*.spec.ts).
 * Only they use the 东村 noise case (陈桂芳 v 林志强, accepted, handled by 李明华 of the 东村
 * committee): each schedules a session, the parties join by link and PIN, and the mediator runs the
 * room. They run one at a time, on a Playwright project of their own (playwright.config.ts).
 */
import type { Page } from '@playwright/test';
import { expect, logIn, zh } from './e2e-test.ts';

export const MEDIATOR = '李明华';
export const APPLICANT = '陈桂芳';
export const RESPONDENT = '林志强';
export const EXPERT = '陈律师';

export type Invitation = { link: string; pin: string };
export type RoomDump = {
	peers: {
		id: string;
		displayName: string;
		space: string;
		producers: { id: string }[];
		consumers: { producerId: string; spatialLayer?: number }[];
	}[];
};

/** The tile of `name`'s camera on `page`. */
export const tile = (page: Page, name: string) => page.locator('figure.tile[data-source="camera"]', { hasText: name });
export const numberOf = async (page: Page, name: string, attribute: string) =>
	Number(await tile(page, name).getAttribute(attribute));

/** `page` receives `name`'s audio and video: bytes keep arriving and frames keep being decoded. */
export async function expectReceiving(page: Page, name: string): Promise<void> {
	await expect(tile(page, name)).toBeVisible();
	for (const attribute of ['data-video-frames', 'data-audio-bytes']) {
		const before = await numberOf(page, name, attribute);
		await expect
			.poll(() => numberOf(page, name, attribute), { timeout: 20_000, message: `${attribute} of ${name}` })
			.toBeGreaterThan(before);
	}
}

export async function joinWithDevices(page: Page): Promise<void> {
	await page.getByRole('button', { name: zh('device_join'), exact: true }).click();
	await expect(page.locator('[data-phase="joined"]')).toBeVisible();
}

/** Someone invited opens their link in `page` and enters the PIN; the device check comes next. */
export async function enterPin(page: Page, invitation: Invitation): Promise<void> {
	await page.goto(invitation.link);
	await page.getByLabel(zh('join_pin')).fill(invitation.pin);
	await page.getByRole('button', { name: zh('join_submit') }).click();
}

/** An hour from now, as a datetime-local field takes it (in the browser's time zone, the test's). */
export function inAnHour(): string {
	const soon = new Date(Date.now() + 3_600_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${soon.getFullYear()}-${pad(soon.getMonth() + 1)}-${pad(soon.getDate())}T${pad(soon.getHours())}:${pad(soon.getMinutes())}`;
}

/** The mediator logs in on `page`, opens the case and schedules a mediation inviting `names`. */
export async function mediatorSchedules(page: Page, password: string, title: string, names: string[]) {
	await logIn(page, 'mediator', password);
	await openCase(page);
	return scheduleSession(page, title, names);
}

/** On the case page open in `page`, schedules a mediation in an hour inviting `names`; returns their invitations. */
export async function scheduleSession(page: Page, title: string, names: string[]): Promise<Record<string, Invitation>> {
	const sessions = page.locator('section[aria-labelledby="case-sessions"]');
	await sessions.locator('summary', { hasText: zh('session_schedule') }).click();
	const form = sessions.locator('form[action*="scheduleSession"]');
	await form.getByLabel(zh('session_time'), { exact: true }).fill(inAnHour());
	await form.getByLabel(zh('session_title')).fill(title);
	for (const name of names) await form.locator('label.choice', { hasText: name }).locator('input').check();
	await form.locator('button[type="submit"]').click();
	const invitations: Record<string, Invitation> = {};
	for (const name of names) {
		const shown = sessions.locator(`[data-invitation="${name}"]`);
		invitations[name] = {
			link: await shown.locator('.invitation-link').inputValue(),
			pin: (await shown.locator('.invitation-pin').textContent())!
		};
	}
	return invitations;
}

/** Opens the land case's page and returns its URL. */
export async function openCase(page: Page): Promise<string> {
	await page.goto('/cases');
	await page.getByRole('row').filter({ hasText: APPLICANT }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
	return page.url();
}

export async function enterRoom(page: Page, title: string): Promise<string> {
	await page
		.locator('section[aria-labelledby="case-sessions"] li[data-session]', { hasText: title })
		.getByRole('link', { name: zh('session_enter_room') })
		.click();
	await joinWithDevices(page);
	return (await page.locator('section.room').getAttribute('data-session'))!;
}
