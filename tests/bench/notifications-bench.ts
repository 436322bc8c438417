/**
 * Notifications under load: 10,000 queued meeting reminders delivered through the queue to a local
 * Tencent Cloud SMS stand-in (which checks every signature) by a worker process, while a client asks
 * the app for a page at a steady rate; the page's latency then against the same app while nothing is sent.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { completeSetup } from '#server/setup/complete-setup.ts';
import { closeApp } from '#server/app.ts';
import {
	kill,
	serverStorage,
	startServer,
	startWorker,
	withApp,
	type ServerProcess,
	type WorkerProcess
} from '../support/server-process.ts';

export const notificationsSectionTitle = 'Notifications: 10,000 reminders through the queue while pages are served';

const MESSAGES = 10_000;
/**
 * The worker's batch (NOTIFY_CONCURRENCY, its default): twenty messages claimed and recorded in one
 * statement each way, so that the database's work per message is small.
 */
const CONCURRENCY = 20;
/**
 * The worker's SMS rate (SMS_MAX_PER_SECOND): 10,000 inside the minute rather than as fast as the
 * CPU allows, which is what a town that sends in bulk sets so that pages keep their pace.
 */
const SMS_PER_SECOND = 250;
const IDLE_SECONDS = 30;
/** Pages asked for each second: far more than a township's staff and parties ask, well within what the app serves. */
const PAGES_PER_SECOND = 40;
/** The page asked for: the online application form, rendered on the server from the database (its places). */
const PAGE = '/apply';

const ms = (value: number) => value.toFixed(1);

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

let resets = 0;

/**
 * Asks for the page at a steady PAGES_PER_SECOND until `done()` (each request at its set time,
 * whether or not the one before has answered), and returns each answer's time in ms counted from
 * that set time, so that a server falling behind is counted in full.
 */
async function pageLatencies(base: string, done: () => boolean): Promise<number[]> {
	const samples: number[] = [];
	const requests: Promise<void>[] = [];
	const ask = async (due: number) => {
		try {
			const response = await fetch(base + PAGE);
			await response.arrayBuffer();
			if (response.status !== 200) throw new Error(`${PAGE} answered ${response.status}`);
			samples.push(performance.now() - due);
		} catch (error) {
			// A kept-alive connection the server closed just as it was used again: counted, not timed.
			if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
			resets++;
		}
	};
	const start = performance.now();
	for (let i = 0; !done(); i++) {
		const due = start + (i * 1000) / PAGES_PER_SECOND;
		const wait = due - performance.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		requests.push(ask(due));
	}
	await Promise.all(requests);
	return samples;
}

type ProviderCounts = { received: number; distinct: number; refused: number };

/** The provider stand-in in its own low-priority process (sms-provider-process.ts); its counts are asked for every 100 ms. */
async function startProvider(secretId: string, secretKey: string) {
	const child = fork(new URL('./sms-provider-process.ts', import.meta.url), [secretId, secretKey]);
	const [{ url }] = (await once(child, 'message')) as [{ url: string }];
	let counts: ProviderCounts = { received: 0, distinct: 0, refused: 0 };
	child.on('message', (message: ProviderCounts) => (counts = message));
	const poll = setInterval(() => child.send('count'), 100);
	return {
		url,
		counts: () => counts,
		async close() {
			clearInterval(poll);
			const exited = once(child, 'exit');
			child.disconnect();
			await exited;
		}
	};
}

export async function benchNotifications(): Promise<string> {
	const provider = await startProvider('AKIDbench', 'bench-secret');
	const storage = await serverStorage('postgres', 'notify_bench');
	const env = {
		SMS_PROVIDER: 'tencent',
		SMS_ENDPOINT: provider.url,
		TENCENT_SECRET_ID: 'AKIDbench',
		TENCENT_SECRET_KEY: 'bench-secret',
		TENCENT_SMS_APP_ID: '1400000003',
		SMS_TEMPLATES: 'meeting_reminder_1h=T-REMIND',
		NOTIFY_CONCURRENCY: String(CONCURRENCY),
		SMS_MAX_PER_SECOND: String(SMS_PER_SECOND)
	};
	let server: ServerProcess | undefined;
	let worker: WorkerProcess | undefined;
	try {
		// Set up, and queue the reminders, with the worker off: nothing is sent before the measurement.
		Object.assign(storage.env, { ...env, NOTIFY_WORKER: 'off' });
		const seedStarted = performance.now();
		await withApp(storage, async (app) => {
			await completeSetup(app, {
				publicOrigin: 'http://127.0.0.1',
				townName: '桃源镇',
				townCode: 'TYZ',
				committeeName: '桃源镇人民调解委员会',
				username: 'admin',
				displayName: '管理员',
				password: 'bench-password-1',
				passwordConfirm: 'bench-password-1'
			});
			// A meeting within the hour: its reminders go at any hour, quiet hours included.
			const meetingAt = new Date(Date.now() + 50 * 60_000);
			for (let at = 0; at < MESSAGES; at += 1000) {
				await app.notifications.tell(
					Array.from({ length: 1000 }, (_, i) => ({
						key: `bench|${at + i}`,
						kind: 'meeting_reminder_1h' as const,
						caseId: null,
						recipient: {
							name: `村民${at + i}`,
							userId: null,
							casePartyId: null,
							phone: `13${String(100_000_000 + at + i).slice(-9)}`
						},
						committeeName: '桃源镇人民调解委员会',
						params: { caseNumber: '2026-TYZ-000001', time: '15:00', where: '地点：调解室' },
						meetingAt
					}))
				);
			}
		});
		const seedSeconds = (performance.now() - seedStarted) / 1000;
		console.log(`  queued ${MESSAGES} in ${seedSeconds.toFixed(1)} s`);

		// The app (its own worker off), idle: the page's latency while nothing is sent.
		server = await startServer(storage, { env: { ...env, NOTIFY_WORKER: 'off' } });
		await pageLatencies(
			server.base,
			(() => {
				const end = Date.now() + 3000;
				return () => Date.now() > end;
			})()
		);
		const idleEnd = Date.now() + IDLE_SECONDS * 1000;
		const idle = await pageLatencies(server.base, () => Date.now() > idleEnd);
		const idleLoad = loadavg()[0];
		console.log(`  idle: ${idle.length} requests, p95 ${ms(percentile(idle, 95))} ms`);

		// The same app, while a worker process (`npm run worker`) sends: from its start until the provider has every reminder.
		const started = performance.now();
		worker = await startWorker(storage, { env });
		const ready = performance.now();
		const busy = await pageLatencies(server.base, () => provider.counts().received >= MESSAGES);
		const deliveredSeconds = (performance.now() - ready) / 1000;
		const busyLoad = loadavg()[0];
		const received = provider.counts();
		await kill(worker);
		worker = undefined;
		await kill(server);
		server = undefined;

		const app = await storage.open();
		let states: string;
		try {
			const { notifications } = await import('#server/db/schema.ts');
			const { sql } = await import('drizzle-orm');
			const rows = await app.db
				.select({ status: notifications.status, count: sql<number>`count(*)::int` })
				.from(notifications)
				.groupBy(notifications.status);
			states = rows.map((row) => `${row.status} ${row.count}`).join(', ');
		} finally {
			await closeApp(app);
		}

		const [idle95, busy95] = [percentile(idle, 95), percentile(busy, 95)];
		const ratio = busy95 / idle95;
		console.log({ deliveredSeconds, idle95, busy95, ratio, received, states });
		return [
			`${MESSAGES.toLocaleString('en')} meeting reminders (1 h before, to ${MESSAGES.toLocaleString('en')} numbers) are queued into a PostgreSQL database (${seedSeconds.toFixed(1)} s). The production entry (\`node server/index.ts\`, \`NOTIFY_WORKER=off\`) serves pages from it, and a client asks it for \`${PAGE}\` (server-rendered from the database) ${PAGES_PER_SECOND} times a second, each request at its set time and timed from it: for ${IDLE_SECONDS} s with nothing being sent, then while a worker process (\`npm run worker\`, \`NOTIFY_CONCURRENCY=${CONCURRENCY}\`, \`SMS_MAX_PER_SECOND=${SMS_PER_SECOND}\`, which runs below normal CPU priority) sends every reminder through pg-boss to a local Tencent Cloud SMS stand-in (\`tests/support/sms-servers.ts\`, which verifies each TC3-HMAC-SHA256 signature), run in a process of its own at the lowest CPU priority, since in production the provider is not on this machine.`,
			'',
			'| | value |',
			'| --- | --- |',
			`| delivered | ${received.distinct.toLocaleString('en')} distinct of ${received.received.toLocaleString('en')} received (${received.refused} refused) in **${deliveredSeconds.toFixed(1)} s** from the worker being up (${((ready - started) / 1000).toFixed(1)} s to start) — target < 60 s ${deliveredSeconds < 60 ? '✓' : '✗'} |`,
			`| messages afterwards | ${states} |`,
			`| ${PAGE} p50 / p95, idle | ${ms(percentile(idle, 50))} / ${ms(idle95)} ms (${idle.length} requests; load average ${idleLoad.toFixed(1)}) |`,
			`| ${PAGE} p50 / p95, while delivering | ${ms(percentile(busy, 50))} / ${ms(busy95)} ms (${busy.length} requests; load average ${busyLoad.toFixed(1)}) |`,
			`| connections reset (not timed) | ${resets} |`,
			`| p95 while delivering / idle | ${(ratio * 100).toFixed(0)} % — target ≤ 110 % ${ratio <= 1.1 ? '✓' : '✗'} |`,
			'',
			`The worker is killed (SIGKILL) as soon as the provider has every message, so the last few, whose sending was not yet recorded, may show as \`sending\` (a restart fails them as \`UNKNOWN_OUTCOME\` rather than send them twice). The load averages are of the whole machine, which other work shared (2 cores). Reproduce: \`npm run bench -- --only notifications\`.`
		].join('\n');
	} finally {
		if (worker) await kill(worker);
		if (server) await kill(server);
		await provider.close();
		await storage.remove();
	}
}
