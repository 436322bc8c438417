import type { Page } from '@playwright/test';

/** A stroke on the page's signature pad, with the mouse (the pad scrolled into view first). */
export async function drawOnPad(page: Page): Promise<void> {
	const canvas = page.locator('.pad canvas');
	await canvas.scrollIntoViewIfNeeded();
	const box = (await canvas.boundingBox())!;
	await page.mouse.move(box.x + 20, box.y + box.height / 2);
	await page.mouse.down();
	for (let i = 1; i < 12; i++) await page.mouse.move(box.x + 20 + i * 15, box.y + box.height / 2 + Math.sin(i) * 20);
	await page.mouse.up();
}
