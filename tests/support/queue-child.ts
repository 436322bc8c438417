/**
 * An app process for the restart test: opens the app on the data directory it is given (working
 * the notification queue, as `npm start` does), optionally queues `--seed N` test messages to N
 * numbers, and prints how many messages are still to send, every 200 ms, until it is killed.
 */
import { inArray, sql } from 'drizzle-orm';
import { createApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { notifications } from '#server/db/schema.ts';

const app = await createApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...process.env }));
const seedAt = process.argv.indexOf('--seed');
if (seedAt !== -1) {
	const count = Number(process.argv[seedAt + 1]);
	await app.notifications.tell(
		Array.from({ length: count }, (_, i) => ({
			key: `restart-test|${i}`,
			kind: 'test' as const,
			caseId: null,
			recipient: { name: `收信人${i}`, userId: null, casePartyId: null, phone: `139${String(i).padStart(8, '0')}` },
			committeeName: '青石镇人民调解委员会',
			params: {}
		}))
	);
}
setInterval(async () => {
	const [row] = await app.db
		.select({ pending: sql<number>`count(*)::int` })
		.from(notifications)
		.where(inArray(notifications.status, ['queued', 'sending']));
	process.stdout.write(`pending ${row.pending}\n`);
}, 200);
