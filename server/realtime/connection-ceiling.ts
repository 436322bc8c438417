/** Counts the connections each person holds, so that one invitation or account cannot open them without end. */
export class ConnectionCeiling {
	readonly #open = new Map<string, number>();

	/** Takes a place for `key` if it holds fewer than `limit`: returns what gives it back (once), or null. */
	take(key: string, limit: number): (() => void) | null {
		const count = this.#open.get(key) ?? 0;
		if (count >= limit) return null;
		this.#open.set(key, count + 1);
		let held = true;
		return () => {
			if (!held) return;
			held = false;
			const left = (this.#open.get(key) ?? 1) - 1;
			if (left > 0) this.#open.set(key, left);
			else this.#open.delete(key);
		};
	}
}
