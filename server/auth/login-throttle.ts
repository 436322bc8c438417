/**
 * Counts failed log-ins per (address, username) and per address in a fixed
 * window. In memory: a restart forgives, which is acceptable for a town's
 * single server; several processes would each count on their own.
 */
export class LoginThrottle {
	readonly #maxFailures: number;
	readonly #windowMs: number;
	readonly #failures = new Map<string, { count: number; windowStart: number }>();

	constructor(options: { maxFailures: number; windowMinutes: number }) {
		this.#maxFailures = options.maxFailures;
		this.#windowMs = options.windowMinutes * 60_000;
	}

	/** Seconds until `ip` may try `username` again, or 0 when it may now. */
	retryAfter(ip: string, username: string, now = Date.now()): number {
		const waits = this.#keys(ip, username).map(([key, limit]) => {
			const entry = this.#failures.get(key);
			if (!entry || now - entry.windowStart >= this.#windowMs || entry.count < limit) return 0;
			return Math.ceil((entry.windowStart + this.#windowMs - now) / 1000);
		});
		return Math.max(...waits);
	}

	/**
	 * Seconds until `ip` may try `username` again; or 0, and this attempt already counts as a
	 * failure. Checked and counted in one step, before the password is: attempts sent at once
	 * cannot all pass the check while the first ones are still being verified.
	 */
	reserve(ip: string, username: string, now = Date.now()): number {
		const wait = this.retryAfter(ip, username, now);
		if (!wait) this.recordFailure(ip, username, now);
		return wait;
	}

	/** The reserved attempt was right: the pair starts over and the address gets its try back. */
	reservedSucceeded(ip: string, username: string): void {
		this.recordSuccess(ip, username);
		const address = this.#failures.get(this.#keys(ip, username)[1][0]);
		if (address && address.count > 0) address.count -= 1;
	}

	recordFailure(ip: string, username: string, now = Date.now()): void {
		this.#prune(now);
		for (const [key] of this.#keys(ip, username)) {
			const entry = this.#failures.get(key);
			if (!entry || now - entry.windowStart >= this.#windowMs) this.#failures.set(key, { count: 1, windowStart: now });
			else entry.count += 1;
		}
	}

	recordSuccess(ip: string, username: string): void {
		this.#failures.delete(this.#keys(ip, username)[0][0]);
	}

	/** The pair key allows few tries; the address alone allows more, so one office behind NAT is not locked out. */
	#keys(ip: string, username: string): [string, number][] {
		return [
			[`${ip}\u0000${username.toLowerCase()}`, this.#maxFailures],
			[ip, this.#maxFailures * 10]
		];
	}

	#prune(now: number): void {
		if (this.#failures.size < 10_000) return;
		for (const [key, entry] of this.#failures) {
			if (now - entry.windowStart >= this.#windowMs) this.#failures.delete(key);
		}
	}
}
