import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { NotificationView } from '#shared/notifications.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase, visibleCases } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { cases, notifications } from '../db/schema.ts';

export type { NotificationView };

const view = {
	id: notifications.id,
	kind: notifications.kind,
	channel: notifications.channel,
	status: notifications.status,
	recipientName: notifications.recipientName,
	address: notifications.address,
	body: notifications.body,
	provider: notifications.provider,
	errorCode: notifications.errorCode,
	error: notifications.error,
	attempts: notifications.attempts,
	createdAt: notifications.createdAt,
	sentAt: notifications.sentAt,
	receiptAt: notifications.receiptAt,
	notBefore: notifications.notBefore,
	caseId: notifications.caseId,
	caseNumber: cases.number
};

/** At most this many of a case's messages are shown, the newest. */
export const CASE_MESSAGES_SHOWN = 100;

/** The messages of a case, newest first, for those who may mediate it (its committee, the admins over it). */
export async function listCaseNotifications(db: Db, actor: Actor, caseId: string): Promise<NotificationView[]> {
	if (actor.role !== 'admin') authorize(actor, 'cases:mediate');
	await findVisibleCase(db, actor, caseId);
	return db
		.select(view)
		.from(notifications)
		.leftJoin(cases, eq(cases.id, notifications.caseId))
		.where(and(eq(notifications.caseId, caseId), inArray(notifications.channel, ['sms', 'email'])))
		.orderBy(desc(notifications.createdAt))
		.limit(CASE_MESSAGES_SHOWN);
}

/** Failed messages an admin may retry: of cases they see, and those of no case (tests, warnings). */
export async function listFailedNotifications(db: Db, actor: Actor, limit = 200): Promise<NotificationView[]> {
	authorize(actor, 'settings:manage');
	return db
		.select(view)
		.from(notifications)
		.leftJoin(cases, eq(cases.id, notifications.caseId))
		.where(and(eq(notifications.status, 'failed'), or(isNull(notifications.caseId), await visibleCases(db, actor))))
		.orderBy(desc(notifications.createdAt))
		.limit(limit);
}

/** The latest messages of no case (an admin's tests), to show their state. */
export async function listTestNotifications(db: Db, actor: Actor, limit = 10): Promise<NotificationView[]> {
	authorize(actor, 'settings:manage');
	return db
		.select(view)
		.from(notifications)
		.leftJoin(cases, eq(cases.id, notifications.caseId))
		.where(eq(notifications.kind, 'test'))
		.orderBy(desc(notifications.createdAt))
		.limit(limit);
}

/** Messages by state over the last day, for the admin page. */
export async function countNotificationsByStatus(db: Db): Promise<Record<string, number>> {
	const rows = await db
		.select({ status: notifications.status, count: sql<number>`count(*)::int` })
		.from(notifications)
		.where(sql`${notifications.createdAt} > now() - interval '1 day'`)
		.groupBy(notifications.status);
	return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}
