/**
 * A token bucket per connection: `burst` messages at once, then `perSecond` on average. Enough
 * for fast typing and cursor moves; a client flooding the server is refused, not served.
 */
export class RateLimit {
	readonly #burst: number;
	readonly #perSecond: number;
	#tokens: number;
	#at = performance.now();

	constructor(burst: number, perSecond: number) {
		this.#burst = burst;
		this.#perSecond = perSecond;
		this.#tokens = burst;
	}

	take(): boolean {
		const now = performance.now();
		this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#perSecond);
		this.#at = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}
