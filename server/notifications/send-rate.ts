/**
 * At most `perSecond` sends a second from one process, evenly spaced: a provider's QPS limit, and a
 * worker sharing its machine with the app spreads its CPU over the time it has instead of taking it
 * in bursts. Each `take` reserves the next free turn at once, so concurrent sends queue in call order.
 */
export class SendRate {
	readonly #interval: number;
	#next = -Infinity;

	constructor(perSecond: number) {
		if (!(perSecond > 0)) throw new RangeError(`a send rate must be above 0, not ${perSecond}`);
		this.#interval = 1000 / perSecond;
	}

	/** Resolves when this send's turn comes: at once if the last turn lies an interval back or more. */
	async take(): Promise<void> {
		const now = performance.now();
		const turn = Math.max(this.#next, now);
		this.#next = turn + this.#interval;
		if (turn > now) await new Promise((resolve) => setTimeout(resolve, turn - now));
	}
}
