import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { SendRate } from './send-rate.ts';

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
	vi.useRealTimers();
});

/** Asks for `count` turns at once and reports how many have come so far. */
function ask(rate: SendRate, count: number): () => number {
	let came = 0;
	for (let i = 0; i < count; i++) void rate.take().then(() => came++);
	return () => came;
}

test('turns come evenly, never more than the rate in a second however many wait', async () => {
	const came = ask(new SendRate(10), 35);
	// [ms further on, turns come by then]: the first at once, then one each 100 ms.
	for (const [ms, count] of [
		[0, 1],
		[99, 1],
		[1, 2],
		[900, 11],
		[1000, 21],
		[10_000, 35]
	]) {
		await vi.advanceTimersByTimeAsync(ms);
		expect(came()).toBe(count);
	}
});

test('time left unused is not saved up for a burst later', async () => {
	const rate = new SendRate(10);
	await vi.advanceTimersByTimeAsync(5000);
	const came = ask(rate, 20);
	await vi.advanceTimersByTimeAsync(0);
	expect(came()).toBe(1);
	await vi.advanceTimersByTimeAsync(1000);
	expect(came()).toBe(11);
});

test('a rate of nothing is refused', () => {
	expect(() => new SendRate(0)).toThrow(RangeError);
});
