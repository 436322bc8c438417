import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
	fromDrizzle,
	fromPglite,
	PgBoss,
	type ConstructorOptions,
	type DrizzleTransactionLike,
	type Job
} from 'pg-boss';
import type { Database, Db } from '../db/client.ts';
import type { Logger } from '../log.ts';

/** One message to send: the notification's id (which is the job's id too, so a message has one job). */
export type SendJob = { notificationId: string };
/** A meeting's reminder, due `before` ms ahead of the start it was planned for. */
export type ReminderJob = {
	sessionId: string;
	scheduledFor: string;
	kind: 'meeting_reminder_24h' | 'meeting_reminder_1h';
};

/** pg-boss's statements run in the app's drizzle transaction (its typing of `execute` is narrower than drizzle's). */
const inTransaction = (tx: Db) => fromDrizzle(tx as unknown as DrizzleTransactionLike, sql);

export const SEND_QUEUE = 'notify.send';
/** The tries of one message: the job's first and its retries. */
export const SEND_ATTEMPTS = 9;
export const REMINDER_QUEUE = 'notify.reminder';
/** The collection of SMS delivery receipts, every minute while the SMS provider has any to give. */
export const RECEIPT_QUEUE = 'notify.receipts';
const RECEIPTS_EVERY_MINUTE = '* * * * *';

/** A job's id derived from what it is about, so that the same fact queued twice is one job (pg-boss skips a known id). */
export function jobIdOf(key: string): string {
	const hex = createHash('sha256').update(key).digest('hex');
	// Shaped as a UUID (version 8, "custom"), which is the type of pg-boss's id column.
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export type QueueOptions = {
	/** How long a send may run before its job counts as abandoned (its process was killed) and is taken up again. */
	jobTimeoutSeconds: number;
	/** The first wait before a failed send is tried again. */
	retrySeconds: number;
};

/**
 * The durable job queue: pg-boss, in the schema `pgboss` of the app's own database, installed and
 * migrated by pg-boss itself at start. On PGlite it runs over the app's one connection; on a
 * PostgreSQL server over a small pool of its own (and LISTEN/NOTIFY), so separate worker processes
 * (`npm run worker`) share it. Jobs are added in the same transaction as the messages they send
 * (`add`), so a message is never without its job nor a job without its message.
 */
export class NotificationQueue {
	readonly #boss: PgBoss;
	readonly #log: Logger;
	readonly #options: QueueOptions;
	#started = false;
	readonly #sendWorkers: string[] = [];

	constructor(database: Database, log: Logger, options: QueueOptions) {
		this.#log = log;
		this.#options = options;
		const common: Partial<ConstructorOptions> = {
			schema: 'pgboss',
			// Expired jobs (a killed process's) are looked for every few seconds, not every minute.
			superviseIntervalSeconds: 5,
			maintenanceIntervalSeconds: 60,
			monitorIntervalSeconds: 60,
			registerInstance: false
		};
		const connection = database.queueConnection;
		// On a server a job added wakes every worker process at once (LISTEN/NOTIFY); on PGlite,
		// where the one process both adds and works, `wake` does.
		this.#boss =
			'pglite' in connection
				? new PgBoss({ ...common, db: fromPglite(connection.pglite), backend: 'pglite' })
				: new PgBoss({
						...common,
						connectionString: connection.url,
						max: 4,
						application_name: 'tiaojie-queue',
						useListenNotify: true
					});
		this.#boss.on('error', (error) => this.#log.error({ err: error }, 'job queue error'));
	}

	/**
	 * Installs or migrates pg-boss's schema (its own migrations) and creates the queues; schedules the
	 * collection of receipts when the SMS provider gives them (and stops it when it no longer does).
	 */
	async start(options: { receipts: boolean }): Promise<void> {
		await this.#boss.start();
		this.#started = true;
		await this.#boss.createQueue(SEND_QUEUE, {
			// About 1 min, 2, 4, … up to an hour between tries (by default); after the last the message is failed.
			retryLimit: SEND_ATTEMPTS - 1,
			retryDelay: this.#options.retrySeconds,
			retryBackoff: true,
			retryDelayMax: 3600,
			expireInSeconds: this.#options.jobTimeoutSeconds,
			deleteAfterSeconds: 7 * 86_400,
			notify: true
		});
		await this.#boss.createQueue(REMINDER_QUEUE, {
			retryLimit: 5,
			retryDelay: 60,
			retryBackoff: true,
			expireInSeconds: 300,
			// A reminder can be planned weeks ahead.
			retentionSeconds: 366 * 86_400,
			deleteAfterSeconds: 7 * 86_400
		});
		await this.#boss.createQueue(RECEIPT_QUEUE, {
			// One collection at a time, none piling up behind it; a failed one waits for the next minute.
			policy: 'exclusive',
			retryLimit: 0,
			expireInSeconds: 300,
			deleteAfterSeconds: 3600
		});
		if (options.receipts) await this.#boss.schedule(RECEIPT_QUEUE, RECEIPTS_EVERY_MINUTE);
		else await this.#boss.unschedule(RECEIPT_QUEUE);
	}

	/** Adds send jobs within the transaction `tx` (they exist once it commits). */
	async addSends(tx: Db, jobs: { id: string; startAfter: Date }[]): Promise<void> {
		if (!jobs.length) return;
		await this.#boss.insert(
			SEND_QUEUE,
			jobs.map(({ id, startAfter }) => ({ id, data: { notificationId: id } satisfies SendJob, startAfter })),
			{ db: inTransaction(tx) }
		);
	}

	/** A later try of a message (after quiet hours, a rate limit, or an admin's retry): a job of its own. */
	async sendLater(notificationId: string, startAfter: Date, tx?: Db): Promise<void> {
		await this.#boss.send(SEND_QUEUE, { notificationId } satisfies SendJob, {
			startAfter,
			...(tx ? { db: inTransaction(tx) } : {})
		});
	}

	/** Plans a reminder; planning the same one again (same session, start and kind) changes nothing. */
	async addReminder(job: ReminderJob, startAfter: Date, tx?: Db): Promise<void> {
		await this.#boss.send(REMINDER_QUEUE, job, {
			id: jobIdOf(`${job.sessionId}|${job.scheduledFor}|${job.kind}`),
			startAfter,
			...(tx ? { db: inTransaction(tx) } : {})
		});
	}

	/**
	 * Works the queues in this process. Sends come as a batch; each job has its `retry`, which puts
	 * it back for pg-boss to try again with backoff; the others complete when the handler returns.
	 * A reminder's handler runs per job.
	 */
	async work(handlers: {
		send: (jobs: { job: Job<SendJob>; retry: (error: unknown) => Promise<void> }[]) => Promise<void>;
		reminder: (job: Job<ReminderJob>) => Promise<void>;
		receipts: () => Promise<void>;
		concurrency: number;
	}): Promise<void> {
		const retryOf = (queue: string, job: Job<object>) => async (error: unknown) => {
			const { code, message } = error as { code?: string; message?: string };
			await this.#boss.fail(queue, job.id, { code: code ?? 'ERROR', message: message ?? String(error) });
		};
		const settleEach =
			<T extends object>(
				queue: string,
				run: (job: Job<T>, retry: (error: unknown) => Promise<void>) => Promise<void>
			) =>
			async (jobs: Job<T>[]) => {
				await Promise.all(
					jobs.map(async (job) => {
						const retry = retryOf(queue, job);
						try {
							await run(job, retry);
						} catch (error) {
							this.#log.error({ err: error, queue, jobId: job.id }, 'job failed');
							await retry(error).catch(() => {});
						}
					})
				);
			};
		const sendWorker = await this.#boss.work<SendJob>(
			SEND_QUEUE,
			// While batches come back full there is more: fetch again at once rather than after the interval.
			// A job that comes due later (a retry's backoff, the end of quiet hours) raises no NOTIFY, so
			// the poll stays short with LISTEN/NOTIFY too (pg-boss would relax it to 30 s).
			{
				batchSize: handlers.concurrency,
				pollingIntervalSeconds: 1,
				notifyPollingIntervalSeconds: 2,
				burstWhenBatchFull: true
			},
			async (jobs: Job<SendJob>[]) => {
				const batch = jobs.map((job) => ({ job, retry: retryOf(SEND_QUEUE, job) }));
				try {
					await handlers.send(batch);
				} catch (error) {
					// The messages' own states say what happened; the jobs go back to be looked at again.
					this.#log.error({ err: error, queue: SEND_QUEUE, jobs: jobs.length }, 'send batch failed');
					await Promise.all(batch.map(({ retry }) => retry(error).catch(() => {})));
				}
			}
		);
		this.#sendWorkers.push(sendWorker);
		await this.#boss.work<ReminderJob>(
			REMINDER_QUEUE,
			{ batchSize: 5, pollingIntervalSeconds: 5 },
			settleEach(REMINDER_QUEUE, (job) => handlers.reminder(job))
		);
		await this.#boss.work(RECEIPT_QUEUE, { pollingIntervalSeconds: 10 }, async () => handlers.receipts());
	}

	/** Tells this process's send worker that jobs were added, so that it fetches now rather than at its next poll. */
	wake(): void {
		for (const id of this.#sendWorkers) this.#boss.notifyWorker(id);
	}

	/** The reminders planned for a session, for the tests and the case page. */
	async plannedReminders(sessionId: string): Promise<{ kind: string; startAfter: Date; state: string }[]> {
		const jobs = await this.#boss.findJobs<ReminderJob>(REMINDER_QUEUE, { data: { sessionId } });
		return jobs.map((job) => ({ kind: job.data.kind, startAfter: job.startAfter, state: job.state }));
	}

	/** The cron expression receipts are collected on, or null when they are not (for the tests). */
	async receiptSchedule(): Promise<string | null> {
		const [schedule] = await this.#boss.getSchedules(RECEIPT_QUEUE);
		return schedule?.cron ?? null;
	}

	/** Jobs waiting or running, for the admin page. */
	async depth(): Promise<{ queued: number; active: number }> {
		const queue = await this.#boss.getQueue(SEND_QUEUE);
		return { queued: queue?.queuedCount ?? 0, active: queue?.activeCount ?? 0 };
	}

	/** Stops taking jobs and waits for those under way (up to `timeout` ms); leaves the database open. */
	async stop(timeout = 10_000): Promise<void> {
		if (!this.#started) return;
		this.#started = false;
		await this.#boss.stop({ graceful: true, close: true, timeout });
	}
}
