import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { CHROMIUM_PATH } from './tests/support/chromium-path.ts';
import { e2eBaseUrl, type E2eServerName } from './tests/support/e2e-state.ts';

/** The live room's end-to-end tests. */
const ROOM_SPECS = '**/room-*.spec.ts';
/** Tests that settle the demo's noise case, which the room tests need open: they run after those. */
const AFTER_ROOM_SPECS = '**/oral-agreement.spec.ts';

type WebServer = Exclude<PlaywrightTestConfig['webServer'], unknown[] | undefined>;

// Names this run's server state; the servers and workers started from here inherit it.
process.env.TIAOJIE_E2E_RUN ??= String(process.pid);

/** A fresh app for one project's tests; see tests/support/e2e-server.ts. */
function server(name: E2eServerName): WebServer {
	return {
		name,
		command: `node tests/support/e2e-server.ts ${name}`,
		url: `${e2eBaseUrl(name)}/healthz`,
		env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'pipe',
		stderr: 'pipe',
		// SIGTERM lets the server close its database and remove its temp folder.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 }
	};
}

export default defineConfig({
	testDir: 'tests/e2e',
	forbidOnly: !!process.env.CI,
	retries: 0,
	workers: 2,
	// Two workers share two cores with the app servers, and the process tests start servers of
	// their own: a navigation into the room (its media and editor code) can take over 5 s then.
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? 'list' : [['list'], ['html', { open: 'never' }]],
	use: {
		headless: true,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: CHROMIUM_PATH,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				// This machine has no route out: Chromium's own connections only fail and slow it down.
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--use-fake-device-for-media-stream',
				'--use-fake-ui-for-media-stream',
				'--allow-loopback-in-peer-connection'
			]
		}
	},
	projects: [
		{
			// Setting up locks the instance, so these tests run once, in order, on a server of their own.
			name: 'setup',
			testMatch: 'setup.spec.ts',
			use: { baseURL: e2eBaseUrl('empty') }
		},
		{
			name: 'demo',
			testIgnore: ['setup.spec.ts', ROOM_SPECS, AFTER_ROOM_SPECS],
			fullyParallel: true,
			use: { baseURL: e2eBaseUrl('demo') }
		},
		{
			// The room tests share the demo's noise case, and one kills the server's media workers, which
			// another room's media would feel: they run one at a time, beside the other demo tests.
			name: 'demo-room',
			testMatch: ROOM_SPECS,
			workers: 1,
			use: { baseURL: e2eBaseUrl('demo') }
		},
		{
			name: 'demo-after-rooms',
			testMatch: AFTER_ROOM_SPECS,
			dependencies: ['demo-room'],
			use: { baseURL: e2eBaseUrl('demo') }
		}
	],
	webServer: [server('empty'), server('demo')]
});
