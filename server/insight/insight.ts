import type { Db } from '../db/client.ts';
import { statisticsRefresh } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { announcePerformance } from '../performance/announce-performance.ts';
import { raiseCaseWarnings } from './raise-case-warnings.ts';
import { refreshStatistics } from './refresh-statistics.ts';
import { sweepWarnings } from './sweep-warnings.ts';

/** How often the statistics are rebuilt and the time-driven warning rules run. */
export const SWEEP_INTERVAL_MS = 10 * 60_000;
/** The dashboard asks for a rebuild of the statistics in the background when they are older than this. */
export const STALE_AFTER_MS = 5 * 60_000;
/**
 * The first sweep of a process also runs the per-case rules over the cases of
 * the hour before it started: any that a crash kept from being checked.
 */
const FIRST_LOOK_BACK_MS = 3_600_000;

/**
 * The process's statistics and early-warning upkeep: the per-case rules when
 * a case is filed or changes, and a periodic sweep (rebuild the statistics,
 * then the rules that time alone sets off). Failures are logged, never passed
 * on: a case is filed or moved whether or not its warnings could be checked.
 */
export class Insight {
	readonly #db: Db;
	readonly #log: Logger;
	readonly #events: DomainEvents;
	#timer: NodeJS.Timeout | undefined;
	#sweeping: Promise<void> | null = null;
	#refreshing: Promise<void> | null = null;
	#sweptUntil = new Date(Date.now() - FIRST_LOOK_BACK_MS);

	constructor(db: Db, log: Logger, events: DomainEvents) {
		this.#db = db;
		this.#log = log;
		this.#events = events;
	}

	start(): void {
		this.#timer ??= setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS).unref();
	}

	/** Runs the per-case warning rules for a case just filed or changed. */
	async caseChanged(caseId: string): Promise<void> {
		try {
			await raiseCaseWarnings(this.#db, caseId);
		} catch (error) {
			this.#log.error({ err: error, caseId }, 'warning rules failed for a case');
		}
	}

	/** Rebuilds the statistics and runs the time-driven rules; a sweep already under way is joined, not doubled. */
	sweep(): Promise<void> {
		this.#sweeping ??= this.#sweep().finally(() => (this.#sweeping = null));
		return this.#sweeping;
	}

	async #sweep(): Promise<void> {
		const started = new Date();
		await this.refresh();
		try {
			const raised = await sweepWarnings(this.#db, this.#sweptUntil, started);
			this.#sweptUntil = started;
			this.#log.info({ ms: Date.now() - started.getTime(), raised }, 'statistics and warnings swept');
		} catch (error) {
			this.#log.error({ err: error }, 'warning sweep failed');
		}
		// Items of performance plans falling due and going overdue, told once each.
		try {
			await announcePerformance({ db: this.#db, events: this.#events }, started);
		} catch (error) {
			this.#log.error({ err: error }, 'performance sweep failed');
		}
	}

	/** Rebuilds the statistics tables; a rebuild already under way is joined. */
	refresh(): Promise<void> {
		this.#refreshing ??= refreshStatistics(this.#db)
			.then(
				() => {},
				(error: unknown) => this.#log.error({ err: error }, 'statistics rebuild failed')
			)
			.finally(() => (this.#refreshing = null));
		return this.#refreshing;
	}

	/** Makes sure there are figures: waits for the first rebuild, starts a background one when they are stale. */
	async ensureFresh(): Promise<void> {
		const [row] = await this.#db.select().from(statisticsRefresh);
		if (!row) return this.refresh();
		if (Date.now() - row.refreshedAt.getTime() > STALE_AFTER_MS) void this.refresh();
	}

	async close(): Promise<void> {
		clearInterval(this.#timer);
		this.#timer = undefined;
		await Promise.all([this.#sweeping, this.#refreshing]);
	}
}
