/**
 * The queue survives a crash: the app is killed with SIGKILL while it sends a few hundred SMS to
 * a slow provider, and restarted on the same data. Nothing queued is lost, nothing is sent twice
 * (the provider sees each message's reference once), and a message cut off mid-send is failed as
 * UNKNOWN_OUTCOME for a person to decide, never sent again by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { closeApp, createApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { notifications } from '#server/db/schema.ts';
import { tencentServer } from '../support/sms-servers.ts';

const MESSAGES = 300;
const CONCURRENCY = 8;
const provider = await tencentServer({ AKIDrestart: 'restart-secret' });
const dataDir = mkdtempSync(join(tmpdir(), 'tiaojie-queue-restart-'));
const env = {
	...process.env,
	DATA_DIR: dataDir,
	DATABASE_URL: '',
	SMS_PROVIDER: 'tencent',
	SMS_ENDPOINT: provider.url,
	TENCENT_SECRET_ID: 'AKIDrestart',
	TENCENT_SECRET_KEY: 'restart-secret',
	TENCENT_SMS_APP_ID: '1400000002',
	SMS_TEMPLATES: 'test=T-1',
	NOTIFY_CONCURRENCY: String(CONCURRENCY),
	NOTIFY_JOB_TIMEOUT_SECONDS: '5',
	// A job cut off by the kill comes back as a retry once it expired: after a second, not a minute.
	NOTIFY_RETRY_SECONDS: '1'
};

afterAll(async () => {
	await provider.close();
	rmSync(dataDir, { recursive: true, force: true });
});

function start(args: string[]): { child: ChildProcess; pending: () => number | null } {
	const child = spawn(process.execPath, ['tests/support/queue-child.ts', ...args], {
		env,
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let pending: number | null = null;
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		const last = chunk
			.trim()
			.split('\n')
			.at(-1)!
			.match(/^pending (\d+)$/);
		if (last) pending = Number(last[1]);
	});
	return { child, pending: () => pending };
}

async function until(condition: () => boolean, timeoutMs: number, what: string) {
	const end = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

// Starting an app on a fresh data directory (initdb, migrations) takes a while on a busy machine.
test('SIGKILL mid-queue loses nothing and sends nothing twice', { timeout: 600_000 }, async () => {
	provider.delayMs = 200;
	const first = start(['--seed', String(MESSAGES)]);
	await until(() => provider.received.length >= MESSAGES / 4, 300_000, 'the first sends');
	first.child.kill('SIGKILL');
	await once(first.child, 'exit');
	const beforeRestart = provider.received.length;
	expect(beforeRestart).toBeLessThan(MESSAGES);

	const second = start([]);
	await until(() => second.pending() === 0, 240_000, 'the queue to empty after the restart');
	second.child.kill('SIGTERM');
	await once(second.child, 'exit');

	const app = await createApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env, NOTIFY_WORKER: 'off' }));
	try {
		const rows = await app.db.select().from(notifications);
		expect(rows).toHaveLength(MESSAGES);
		const references = provider.received.map((r) => r.reference);
		// Sent once each: no reference twice at the provider.
		expect(new Set(references).size).toBe(references.length);
		const byStatus = Object.groupBy(rows, (row) => row.status);
		const cutOff = byStatus.failed ?? [];
		for (const row of cutOff) expect(row.errorCode).toBe('UNKNOWN_OUTCOME');
		// Only what was under way at the kill can be in doubt.
		expect(cutOff.length).toBeLessThanOrEqual(CONCURRENCY);
		expect((byStatus.sent ?? []).length + cutOff.length).toBe(MESSAGES);
		// Every message sent is one the provider took, and the provider took nothing else.
		const sentIds = new Set((byStatus.sent ?? []).map((row) => row.id));
		for (const id of sentIds) expect(references).toContain(id);
		for (const reference of references)
			expect(sentIds.has(reference) || cutOff.some((row) => row.id === reference)).toBe(true);
	} finally {
		await closeApp(app);
	}
});
