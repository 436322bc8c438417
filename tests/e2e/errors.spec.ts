import type { APIResponse } from '@playwright/test';
import { LOCALES, text } from '../support/e2e-messages.ts';
import { expect, test, zh } from '../support/e2e-test.ts';

/** Signs that a response carries a server's insides: stack frames, source paths, error class names. */
const LEAKS = [
	/^\s*at .+:\d+:\d+\)?$/m,
	/file:\/\//,
	/node_modules/,
	/\/(server|src|build)\/\S+\.(ts|js)\b/,
	/SvelteKitError/
];

async function expectNoLeaks(response: APIResponse): Promise<void> {
	const body = await response.text();
	for (const leak of LEAKS) expect(body, `response to ${response.url()}`).not.toMatch(leak);
}

for (const locale of LOCALES) {
	test(`an unknown page is a 404 that says so in ${locale}`, async ({ page, context, baseURL }) => {
		await context.addCookies([{ name: 'tj_locale', value: locale, url: baseURL! }]);
		const response = await page.goto('/no/such/page');
		expect(response?.status()).toBe(404);
		await expect(page.locator('html')).toHaveAttribute('lang', locale);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(text(locale, 'error_not_found'));
		await expect(page.getByRole('link', { name: text(locale, 'error_back_home') })).toBeVisible();
	});
}

test('an oversized body is refused with 413 before it is read', async ({ request, baseURL }) => {
	const response = await request.post('/login', {
		headers: { origin: baseURL!, 'content-type': 'application/x-www-form-urlencoded' },
		data: `username=admin&password=${'x'.repeat(2 * 1024 * 1024)}`
	});
	expect(response.status()).toBe(413);
	expect(await response.text()).toBe(zh('error_payload_too_large'));
	await expectNoLeaks(response);
});

test('error responses never carry stack traces or source paths, nor blame the server for a bad request', async ({
	request,
	baseURL
}) => {
	const origin = baseURL!;
	const probes: [string, Promise<APIResponse>, number][] = [
		['unknown page', request.get('/no/such/page'), 404],
		['unknown page as JSON', request.get('/no/such/page', { headers: { accept: 'application/json' } }), 404],
		[
			'invalid log-in form',
			request.post('/login', { headers: { origin, accept: 'text/html' }, form: { username: '' } }),
			400
		],
		[
			'log-in form sent as JSON',
			request.post('/login', { headers: { origin, accept: 'application/json' }, data: { username: 'admin' } }),
			415
		],
		[
			'broken multipart body',
			request.post('/login', {
				headers: { origin, 'content-type': 'multipart/form-data; boundary=nothing' },
				data: '--not-the-boundary\r\ngarbage'
			}),
			400
		],
		['read-only endpoint, posted to', request.post('/healthz', { headers: { origin } }), 405]
	];
	for (const [what, pending, status] of probes) {
		const response = await pending;
		expect(response.status(), what).toBe(status);
		await expectNoLeaks(response);
		expect(await response.text(), `${what} is no fault of the server`).not.toContain(zh('error_internal'));
	}
});

test('/healthz reports the database and realtime as up', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('application/json');
	expect(await response.json()).toEqual({
		status: 'ok',
		database: {
			ok: true,
			driver: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite',
			latencyMs: expect.any(Number)
		},
		realtime: { ok: true, connections: expect.any(Number) },
		// The e2e server runs alone, without REDIS_URL.
		cluster: null,
		agreementFonts: { ok: true, rareCharacters: expect.any(Boolean) }
	});
});
