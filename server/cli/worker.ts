/**
 * `npm run worker`: a process that only sends notifications, beside app processes started with
 * `NOTIFY_WORKER=off` (or alongside them: pg-boss hands each job to one worker). It needs a
 * PostgreSQL server (`DATABASE_URL`): embedded PGlite is opened by one process at a time, so there
 * the app's own process works the queue. SIGTERM lets the messages under way finish. It runs
 * below normal CPU priority: on a machine it shares with the app, pages come first (a message
 * sent a moment later harms no one; a villager's page a moment later does).
 */
import { constants, setPriority } from 'node:os';
import { loadConfigOrExit } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { createLogger } from '../log.ts';
import { Notifications } from '../notifications/notifications.ts';

setPriority(constants.priority.PRIORITY_LOW);
const config = loadConfigOrExit();
if (!config.databaseUrl) {
	console.error(
		'npm run worker needs DATABASE_URL (a PostgreSQL server): with embedded PGlite the app process sends the notifications itself.'
	);
	process.exit(1);
}
const log = createLogger(config);
const database = await openDatabase({ url: config.databaseUrl, dataDir: null });
await database.migrate();
const notifications = new Notifications({ db: database.db, log, config, database });
await notifications.start({ work: true });
log.info(
	{ concurrency: config.notifications.concurrency, sms: config.notifications.sms.provider },
	'notification worker started'
);

let stopping = false;
async function stop(signal: string) {
	if (stopping) return;
	stopping = true;
	log.info({ signal }, 'notification worker stopping');
	setTimeout(() => process.exit(1), 15_000).unref();
	await notifications.close();
	await database.close();
	process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
