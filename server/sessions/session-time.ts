import { AppError } from '#shared/errors.ts';

const YEAR_MS = 366 * 86_400_000;

/**
 * The instant of a wall-clock time typed into a datetime-local input: at the
 * offset the browser reported for it, or, from a browser without scripts, in
 * this server's own time zone (a town's server runs in the town's zone).
 */
export function sessionInstant(wallClock: string, utcOffset: number | undefined): Date {
	if (utcOffset === undefined) return new Date(wallClock);
	return new Date(Date.parse(`${wallClock}Z`) - utcOffset * 60_000);
}

/** Refuses a time that has passed, or one more than a year ahead (a typing mistake, not a plan). */
export function assertUpcoming(instant: Date, now: Date): void {
	if (instant.getTime() <= now.getTime()) throw new AppError('VALIDATION', { fields: { scheduledFor: ['in_past'] } });
	if (instant.getTime() - now.getTime() > YEAR_MS)
		throw new AppError('VALIDATION', { fields: { scheduledFor: ['invalid'] } });
}
