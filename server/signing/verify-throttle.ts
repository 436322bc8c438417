/**
 * Counts the PDFs each address uploads to the verification page in a fixed window: reading a
 * seal costs a hash of the whole file, so one address may not have it done without end. In
 * memory, as the log-in throttle: a restart forgives.
 */
export class VerifyThrottle {
	readonly #maxUploads: number;
	readonly #windowMs: number;
	readonly #uploads = new Map<string, { count: number; windowStart: number }>();

	constructor(options: { maxUploads: number; windowMinutes: number } = { maxUploads: 30, windowMinutes: 10 }) {
		this.#maxUploads = options.maxUploads;
		this.#windowMs = options.windowMinutes * 60_000;
	}

	/** Counts an upload from `ip` and returns 0, or, past the limit, the seconds until it may upload again. */
	take(ip: string, now = Date.now()): number {
		this.#prune(now);
		const entry = this.#uploads.get(ip);
		if (!entry || now - entry.windowStart >= this.#windowMs) {
			this.#uploads.set(ip, { count: 1, windowStart: now });
			return 0;
		}
		if (entry.count >= this.#maxUploads) return Math.ceil((entry.windowStart + this.#windowMs - now) / 1000);
		entry.count += 1;
		return 0;
	}

	#prune(now: number): void {
		if (this.#uploads.size < 10_000) return;
		for (const [ip, entry] of this.#uploads) {
			if (now - entry.windowStart >= this.#windowMs) this.#uploads.delete(ip);
		}
	}
}
