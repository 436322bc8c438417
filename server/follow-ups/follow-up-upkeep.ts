import type { Db } from '../db/client.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { announceDueFollowUps } from './announce-due-follow-ups.ts';
import { scheduleFirstFollowUps } from './schedule-first-follow-ups.ts';

/** How often follow-ups are scheduled for agreements that lack one and announced when due. */
export const FOLLOW_UP_SWEEP_MS = 10 * 60_000;

/**
 * The follow-ups' time-driven upkeep: right away on start, then every `FOLLOW_UP_SWEEP_MS`, opens
 * the first follow-up of agreements that have none and announces those that fell due. Failures
 * are logged; the next sweep tries again.
 */
export class FollowUpUpkeep {
	readonly #app: { db: Db; events: DomainEvents };
	readonly #log: Logger;
	#timer: NodeJS.Timeout | undefined;
	/** The last sweep asked for: each runs after the one before, so none misses what came in before it was asked. */
	#sweeping: Promise<void> = Promise.resolve();

	constructor(app: { db: Db; events: DomainEvents }, log: Logger) {
		this.#app = app;
		this.#log = log;
	}

	start(): void {
		if (this.#timer) return;
		this.#timer = setInterval(() => void this.sweep(), FOLLOW_UP_SWEEP_MS).unref();
		void this.sweep();
	}

	/** An agreement took effect: its first follow-up is set now, not at the next sweep. */
	async agreementTookEffect(caseId: string): Promise<void> {
		try {
			await scheduleFirstFollowUps(this.#app, caseId);
		} catch (error) {
			this.#log.error({ err: error, caseId }, 'scheduling the first follow-up failed');
		}
	}

	sweep(): Promise<void> {
		this.#sweeping = this.#sweeping.then(() => this.#sweep());
		return this.#sweeping;
	}

	async #sweep(): Promise<void> {
		try {
			const scheduled = await scheduleFirstFollowUps(this.#app);
			const announced = await announceDueFollowUps(this.#app);
			if (scheduled || announced) this.#log.info({ scheduled, announced }, 'follow-ups swept');
		} catch (error) {
			this.#log.error({ err: error }, 'follow-up sweep failed');
		}
	}

	async close(): Promise<void> {
		clearInterval(this.#timer);
		this.#timer = undefined;
		await this.#sweeping;
	}
}
