import { eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Database, Db } from '../db/client.ts';
import { performanceItems } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { buildTransports, type Transports } from './channels/channels.ts';
import { collectReceipts, type ReceiptCount } from './collect-receipts.ts';
import { deliverNotifications } from './deliver-notification.ts';
import { enqueueMessages, type MessageDraft } from './enqueue-messages.ts';
import { NotificationQueue } from './notification-queue.ts';
import { SendRate } from './send-rate.ts';
import {
	planToParties,
	planConsultation,
	planInvitations,
	planLinkIssued,
	planReminder,
	planSessionChange,
	planWarningAssigned,
	remindersDue,
	scheduledForOf
} from './plan-messages.ts';

/**
 * The process's notifications: the queue, the channels' transports, and the subscription to the
 * domain events that set messages off. Services never call it; `app.ts` subscribes it.
 */
export class Notifications {
	readonly queue: NotificationQueue;
	readonly transports: Transports;
	readonly #deps: { db: Db; log: Logger; config: Config };
	#working = false;
	/** The last collection of receipts asked for: each runs after the one before, so none finds a receipt the other is recording. */
	#collecting: Promise<unknown> = Promise.resolve();
	/** The time quiet hours and rate limits are judged by (tests set it to a time of day of their choosing). */
	now: () => Date = () => new Date();

	constructor(deps: { db: Db; log: Logger; config: Config; database: Database }) {
		this.#deps = { db: deps.db, log: deps.log.child({ module: 'notifications' }), config: deps.config };
		this.queue = new NotificationQueue(deps.database, this.#deps.log, {
			jobTimeoutSeconds: deps.config.notifications.jobTimeoutSeconds,
			retrySeconds: deps.config.notifications.retrySeconds
		});
		this.transports = buildTransports(deps.config.notifications, this.#deps.log);
	}

	/** Installs the queue's schema; works the queue here unless `NOTIFY_WORKER=off`. */
	async start(options: { work?: boolean } = {}): Promise<void> {
		await this.queue.start({
			receipts: this.#deps.config.notifications.sms.receipts === 'poll' && !!this.transports.sms?.receipts
		});
		if (options.work ?? this.#deps.config.notifications.worker === 'inline') await this.work();
	}

	/** Takes jobs from the queue in this process (the app's own, or a `npm run worker` process). */
	async work(): Promise<void> {
		if (this.#working) return;
		this.#working = true;
		const { maxPerSecond } = this.#deps.config.notifications.sms;
		const deps = {
			...this.#deps,
			queue: this.queue,
			transports: this.transports,
			smsRate: maxPerSecond ? new SendRate(maxPerSecond) : undefined
		};
		await this.queue.work({
			concurrency: this.#deps.config.notifications.concurrency,
			send: (jobs) =>
				deliverNotifications(
					deps,
					jobs.map(({ job, retry }) => ({
						notificationId: job.data.notificationId,
						retryCount: job.retryCount,
						retry
					})),
					this.now()
				),
			reminder: async (job) => {
				await this.tell(await planReminder(this.#deps, job.data));
			},
			receipts: async () => {
				try {
					await this.collectReceipts();
				} catch (error) {
					this.#deps.log.warn({ err: error }, 'collecting SMS receipts failed; the next minute tries again');
				}
			}
		});
	}

	/** Asks the SMS provider for the receipts of messages it took (the queue does every minute; tests call it). */
	collectReceipts(): Promise<ReceiptCount> {
		const deps = { ...this.#deps, transports: this.transports };
		const collection = this.#collecting.catch(() => {}).then(() => collectReceipts(deps));
		this.#collecting = collection;
		return collection;
	}

	/** Stores and queues the messages of drafts (what every event comes to). */
	async tell(drafts: MessageDraft[]): Promise<string[]> {
		return enqueueMessages({ ...this.#deps, queue: this.queue }, drafts, this.now());
	}

	/** Plans a session's reminders at the start it has now. */
	async planReminders(sessionId: string, now = this.now()): Promise<void> {
		const scheduledFor = await scheduledForOf(this.#deps.db, sessionId);
		if (!scheduledFor) return;
		for (const { kind, at } of remindersDue(scheduledFor, now)) {
			await this.queue.addReminder({ sessionId, scheduledFor: scheduledFor.toISOString(), kind }, at);
		}
	}

	/** What each domain event tells whom. */
	subscribe(events: DomainEvents): void {
		const deps = this.#deps;
		events.on('party.link_issued', async ({ caseId, trackingToken }) => {
			await this.tell(await planLinkIssued(deps, caseId, trackingToken));
		});
		events.on('session.scheduled', async ({ caseId, sessionId, invitations }) => {
			await this.tell(await planInvitations(deps, caseId, sessionId, invitations, false));
			await this.planReminders(sessionId);
		});
		events.on('invitation.issued', async ({ caseId, sessionId, participantId, token, pin }) => {
			await this.tell(await planInvitations(deps, caseId, sessionId, [{ participantId, token, pin }], true));
		});
		events.on('session.rescheduled', async ({ sessionId, previousScheduledFor }) => {
			await this.tell(await planSessionChange(deps, sessionId, { kind: 'meeting_moved', previousScheduledFor }));
			await this.planReminders(sessionId);
		});
		events.on('session.cancelled', async ({ sessionId }) => {
			await this.tell(await planSessionChange(deps, sessionId, { kind: 'meeting_cancelled' }));
		});
		events.on('consultation.requested', async ({ sessionId }) => {
			await this.tell(await planConsultation(deps, sessionId, 'consultation_requested'));
		});
		events.on('consultation.accepted', async ({ sessionId }) => {
			await this.tell(await planConsultation(deps, sessionId, 'consultation_accepted'));
			await this.planReminders(sessionId);
		});
		events.on('agreement.ready_to_sign', async ({ caseId, versionId }) => {
			await this.tell(await planToParties(deps, caseId, 'agreement_ready', versionId));
		});
		events.on('agreement.sealed', async ({ caseId, sealedAgreementId }) => {
			await this.tell(await planToParties(deps, caseId, 'agreement_sealed', sealedAgreementId));
		});
		events.on('warning.assigned', async ({ warningId, assigneeId }) => {
			await this.tell(await planWarningAssigned(deps, warningId, assigneeId));
		});
		for (const [event, kind] of [
			['performance.item_due_soon', 'performance_due'],
			['performance.item_overdue', 'performance_overdue']
		] as const) {
			events.on(event, async ({ caseId, itemId, dueOn }) => {
				const [item] = await deps.db
					.select({ description: performanceItems.description })
					.from(performanceItems)
					.where(eq(performanceItems.id, itemId));
				if (!item) return;
				const params = { item: item.description.slice(0, 40), date: dueOn };
				await this.tell(await planToParties(deps, caseId, kind, `${itemId}|${dueOn}`, params));
			});
		}
		events.on('follow_up.due', async ({ caseId, followUpId }) => {
			await this.tell(await planToParties(deps, caseId, 'followup_survey', followUpId));
		});
	}

	async close(): Promise<void> {
		await this.queue.stop();
		await Promise.all([this.transports.sms?.close?.(), this.transports.email?.close?.()]);
	}
}
