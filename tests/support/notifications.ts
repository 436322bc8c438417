import { and, asc, eq, inArray } from 'drizzle-orm';
import type { App } from '#server/app.ts';
import { LogSms } from '#server/notifications/channels/log-sms.ts';
import { notifications } from '#server/db/schema.ts';
import { setUpNetwork } from './case-network.ts';
import { test as base } from './integration-test.ts';

export type NotificationRow = typeof notifications.$inferSelect;

/** The messages of a case (or all), oldest first. */
export async function messagesOf(app: App, caseId?: string): Promise<NotificationRow[]> {
	return app.db
		.select()
		.from(notifications)
		.where(caseId ? eq(notifications.caseId, caseId) : undefined)
		.orderBy(asc(notifications.createdAt), asc(notifications.kind), asc(notifications.channel));
}

/** Waits until no message (of the case) is queued to go now or being sent: the queue has worked them all. */
export async function queueSettled(app: App, caseId?: string, timeoutMs = 30_000): Promise<NotificationRow[]> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const pending = await app.db
			.select({ id: notifications.id, notBefore: notifications.notBefore })
			.from(notifications)
			.where(
				and(inArray(notifications.status, ['queued', 'sending']), caseId ? eq(notifications.caseId, caseId) : undefined)
			);
		if (!pending.some((row) => row.notBefore.getTime() <= Date.now())) return messagesOf(app, caseId);
		if (Date.now() > until) throw new Error(`${pending.length} notifications still pending`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/**
 * A clock at a daytime hour in China (09:00–20:59), outside quiet hours: now when it is day there,
 * else the last such moment, moving on with real time (never ahead of it, so jobs are due at once).
 */
export function daytimeClock(): () => Date {
	const chinaHours = (Date.now() / 3_600_000 + 8) % 24;
	let back = 0;
	if (chinaHours >= 21) back = chinaHours - 20.5;
	else if (chinaHours < 9) back = chinaHours + 3.5;
	return () => new Date(Date.now() - back * 3_600_000);
}

/** The SMS the log provider recorded. */
export function loggedSms(app: App) {
	const sms = app.notifications.transports.sms;
	if (!(sms instanceof LogSms)) throw new Error('the app does not use the log SMS provider');
	return sms.sent;
}

/** The integration fixture with the town's network (`network`), its clock at a daytime hour so that SMS go at once. */
export const test = base.extend('network', async ({ app }) => {
	app.notifications.now = daytimeClock();
	return setUpNetwork(app);
});
