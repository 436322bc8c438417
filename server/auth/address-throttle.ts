/**
 * Counts what each address does in a fixed window (uploads a PDF to verify, sends an online
 * application), so that one address may not have costly work done without end. `take` counts and
 * decides at once, before any await: requests sent together cannot all slip under the limit. In
 * memory, as the log-in throttle: a restart forgives.
 */
export class AddressThrottle {
	readonly #max: number;
	readonly #windowMs: number;
	readonly #counts = new Map<string, { count: number; windowStart: number }>();

	constructor(options: { max: number; windowMinutes: number }) {
		this.#max = options.max;
		this.#windowMs = options.windowMinutes * 60_000;
	}

	/** Counts a request from `ip` and returns 0, or, past the limit, the seconds until it may send again. */
	take(ip: string, now = Date.now()): number {
		this.#prune(now);
		const entry = this.#counts.get(ip);
		if (!entry || now - entry.windowStart >= this.#windowMs) {
			this.#counts.set(ip, { count: 1, windowStart: now });
			return 0;
		}
		if (entry.count >= this.#max) return Math.ceil((entry.windowStart + this.#windowMs - now) / 1000);
		entry.count += 1;
		return 0;
	}

	#prune(now: number): void {
		if (this.#counts.size < 10_000) return;
		for (const [ip, entry] of this.#counts) {
			if (now - entry.windowStart >= this.#windowMs) this.#counts.delete(ip);
		}
	}
}
