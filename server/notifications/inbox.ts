import { and, count, desc, eq, isNull } from 'drizzle-orm';
import {
	OPTIONAL_KINDS,
	notificationPreferencesSchema,
	type NotificationKind,
	type NotificationLocale
} from '#shared/notifications.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { cases, notificationPreferences, notifications } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { userSubject } from './enqueue-messages.ts';

/** The inbox shows the newest this many. */
export const INBOX_SIZE = 100;

export type InboxItem = {
	id: string;
	kind: NotificationKind;
	body: string;
	caseId: string | null;
	caseNumber: string | null;
	createdAt: Date;
	read: boolean;
};

/** An account's in-app messages, newest first, and how many are unread. */
export async function listInbox(db: Db, actor: Actor): Promise<{ items: InboxItem[]; unread: number }> {
	authorize(actor, 'account:use');
	const mine = and(eq(notifications.recipientUserId, actor.id), eq(notifications.channel, 'inapp'));
	const rows = await db
		.select({
			id: notifications.id,
			kind: notifications.kind,
			body: notifications.body,
			caseId: notifications.caseId,
			caseNumber: cases.number,
			createdAt: notifications.createdAt,
			readAt: notifications.readAt
		})
		.from(notifications)
		.leftJoin(cases, eq(cases.id, notifications.caseId))
		.where(mine)
		.orderBy(desc(notifications.createdAt))
		.limit(INBOX_SIZE);
	return {
		items: rows.map(({ readAt, ...row }) => ({ ...row, read: readAt !== null })),
		unread: await unreadCount(db, actor.id)
	};
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
	const [row] = await db
		.select({ unread: count() })
		.from(notifications)
		.where(
			and(eq(notifications.recipientUserId, userId), eq(notifications.channel, 'inapp'), isNull(notifications.readAt))
		);
	return row.unread;
}

/** Marks all of an account's in-app messages read. */
export async function markInboxRead(db: Db, actor: Actor, now = new Date()): Promise<void> {
	authorize(actor, 'account:use');
	await db
		.update(notifications)
		.set({ readAt: now })
		.where(
			and(eq(notifications.recipientUserId, actor.id), eq(notifications.channel, 'inapp'), isNull(notifications.readAt))
		);
}

export type Preferences = { email: string | null; locale: NotificationLocale; optOut: NotificationKind[] };

export async function readPreferences(db: Db, actor: Actor): Promise<Preferences> {
	authorize(actor, 'account:use');
	const [row] = await db
		.select()
		.from(notificationPreferences)
		.where(eq(notificationPreferences.subject, userSubject(actor.id)));
	return {
		email: row?.email ?? null,
		locale: row?.locale ?? 'zh-CN',
		optOut: (row?.optOut ?? []).filter((kind) => OPTIONAL_KINDS.includes(kind))
	};
}

/** Where e-mail reaches the account, in which language it is written to, and which optional messages it turned off. */
export async function savePreferences(db: Db, actor: Actor, input: unknown, now = new Date()): Promise<void> {
	authorize(actor, 'account:use');
	const fields = parseInput(notificationPreferencesSchema, input);
	const values = { email: fields.email, locale: fields.locale, optOut: [...new Set(fields.optOut)], updatedAt: now };
	await db
		.insert(notificationPreferences)
		.values({ subject: userSubject(actor.id), ...values })
		.onConflictDoUpdate({ target: notificationPreferences.subject, set: values });
}
