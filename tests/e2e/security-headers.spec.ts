import { expect, test } from '../support/e2e-test.ts';

test('pages carry a Content-Security-Policy with a fresh nonce, no framing, and keep camera and microphone to the app', async ({
	page
}) => {
	const first = (await page.goto('/login'))!.headers();
	const second = (await page.goto('/login'))!.headers();

	const csp = first['content-security-policy'];
	expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toContain("object-src 'none'");
	expect(second['content-security-policy']).not.toBe(csp);
	expect(first['referrer-policy']).toBe('same-origin');
	expect(first['permissions-policy']).toContain('camera=(self), microphone=(self), display-capture=(self)');
	expect(first['x-content-type-options']).toBe('nosniff');
	// Served over plain HTTP here: no HSTS (the unit spec covers HTTPS).
	expect(first['strict-transport-security']).toBeUndefined();
	await expect(page.locator('input[name="username"]')).toBeVisible();
});
