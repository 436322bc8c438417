import { inArray } from 'drizzle-orm';
import {
	MASKED_PIN,
	MAX_PARAM_LENGTH,
	NOTIFICATION_KINDS,
	mainlandMobile,
	renderNotification,
	smsAllowedAt,
	type NotificationChannel,
	type NotificationKind,
	type NotificationKindSpec,
	type NotificationLocale,
	type NotificationStatus
} from '#shared/notifications.ts';
import type { Db } from '../db/client.ts';
import { notificationPreferences, notifications } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { NotificationConfig } from './notification-config.ts';
import type { NotificationQueue } from './notification-queue.ts';
import type { Secret } from './secret.ts';

/** Someone to tell: an account, a party (by their phone), or both. */
export type Recipient = {
	name: string;
	userId: string | null;
	casePartyId: string | null;
	/** As stored; only a mainland mobile number gets SMS. */
	phone: string | null;
	/** An e-mail address given for this message (a test); an account's own comes from its preferences. */
	email?: string | null;
};

/** One fact to tell one person, before it is split by channel. */
export type MessageDraft = {
	/** What the message is about, unique per fact (`session.scheduled|<sessionId>`); the recipient and channel are added. */
	key: string;
	kind: NotificationKind;
	caseId: string | null;
	recipient: Recipient;
	/** The committee that speaks (the SMS signature). */
	committeeName: string;
	/** The template's variables; a value that reads differently per language (a time) gives each. */
	params: Record<string, string | Localized>;
	/** Values that are secrets (an invitation's PIN), filled in only when sending. */
	secret?: Record<string, Secret>;
	meetingAt?: Date | null;
};

export type Localized = Record<NotificationLocale, string>;

export type EnqueueDeps = {
	db: Db;
	log: Logger;
	config: { notifications: NotificationConfig };
	queue: NotificationQueue;
};

type Preferences = { email: string | null; locale: NotificationLocale; optOut: NotificationKind[] };

export const userSubject = (userId: string) => `user:${userId}`;
export const phoneSubject = (phone: string) => `phone:${phone}`;

async function preferencesOf(db: Db, drafts: MessageDraft[]): Promise<Map<string, Preferences>> {
	const subjects = new Set<string>();
	for (const { recipient } of drafts) {
		if (recipient.userId) subjects.add(userSubject(recipient.userId));
		const mobile = mainlandMobile(recipient.phone);
		if (mobile) subjects.add(phoneSubject(mobile));
	}
	if (!subjects.size) return new Map();
	const rows = await db
		.select()
		.from(notificationPreferences)
		.where(inArray(notificationPreferences.subject, [...subjects]));
	return new Map(rows.map((row) => [row.subject, row]));
}

type Row = typeof notifications.$inferInsert;

/**
 * Turns drafts into messages, one per channel that reaches the person: in-app and e-mail for an
 * account (e-mail when they gave an address), SMS for a mainland mobile number. A kind a person
 * turned off, or an SMS to a number that is not a mainland mobile, is kept as `suppressed` (the
 * case page shows why) and never sent. Each message's idempotency key is its draft's key with the
 * recipient and channel, so the same fact told twice makes nothing new.
 */
export function messageRows(
	drafts: MessageDraft[],
	preferences: Map<string, Preferences>,
	now: Date,
	signName?: string
): Row[] {
	const rows: Row[] = [];
	for (const draft of drafts) {
		const { recipient } = draft;
		const spec: NotificationKindSpec = NOTIFICATION_KINDS[draft.kind];
		const exempt = spec.quietHoursExempt === true;
		const account = recipient.userId ? preferences.get(userSubject(recipient.userId)) : undefined;
		const mobile = mainlandMobile(recipient.phone);
		const byPhone = mobile ? preferences.get(phoneSubject(mobile)) : undefined;
		const locale = account?.locale ?? byPhone?.locale ?? 'zh-CN';
		const optedOut = !spec.mandatory && [...(account?.optOut ?? []), ...(byPhone?.optOut ?? [])].includes(draft.kind);
		const params = Object.fromEntries(
			Object.entries(draft.params).map(([name, value]) => [
				name,
				(typeof value === 'string' ? value : value[locale]).slice(0, MAX_PARAM_LENGTH)
			])
		);
		const masked = {
			...params,
			...Object.fromEntries(Object.keys(draft.secret ?? {}).map((name) => [name, MASKED_PIN]))
		};
		const who = recipient.userId ?? recipient.casePartyId ?? mobile ?? recipient.name;
		const base = (
			channel: NotificationChannel,
			address: string | null,
			status: NotificationStatus,
			errorCode: string | null
		): Row => ({
			idempotencyKey: `${draft.key}|${draft.kind}|${who}|${channel}`,
			kind: draft.kind,
			channel,
			status: optedOut && status === 'queued' ? 'suppressed' : status,
			errorCode: optedOut && status === 'queued' ? 'OPTED_OUT' : errorCode,
			caseId: draft.caseId,
			recipientUserId: recipient.userId,
			casePartyId: recipient.casePartyId,
			recipientName: recipient.name.slice(0, 200),
			address,
			locale,
			signature: signName ?? draft.committeeName,
			params: masked,
			secret: draft.secret
				? Object.fromEntries(Object.entries(draft.secret).map(([name, value]) => [name, value.reveal()]))
				: null,
			body: renderNotification(draft.kind, locale, masked),
			meetingAt: draft.meetingAt ?? null,
			notBefore: channel === 'sms' && !exempt ? smsAllowedAt(now, draft.meetingAt ?? null) : now,
			createdAt: now
		});
		if (recipient.userId) rows.push({ ...base('inapp', null, 'delivered', null), sentAt: now });
		const email = recipient.email ?? account?.email;
		if (email) rows.push(base('email', email, 'queued', null));
		if (mobile) rows.push(base('sms', mobile, 'queued', null));
		else if (!recipient.userId && !email && recipient.casePartyId) {
			// A party reached by nothing: the case page says so, so that the mediator calls them.
			rows.push(base('sms', recipient.phone, 'suppressed', recipient.phone ? 'INVALID_NUMBER' : 'NO_ADDRESS'));
		}
	}
	// A message told without its secret is kept, its secret never stored where it is not sent.
	for (const row of rows) if (row.status !== 'queued') row.secret = null;
	return rows;
}

/** Stores the messages and their send jobs in one transaction; returns the ids of those that were new. */
export async function enqueueMessages(deps: EnqueueDeps, drafts: MessageDraft[], now: Date): Promise<string[]> {
	if (!drafts.length) return [];
	const rows = messageRows(drafts, await preferencesOf(deps.db, drafts), now, deps.config.notifications.sms.signName);
	const created = await deps.db.transaction(async (tx) => {
		const inserted: { id: string; status: NotificationStatus; notBefore: Date }[] = [];
		// In slices, so that one event to many people stays within PostgreSQL's parameter limit.
		for (let at = 0; at < rows.length; at += 500) {
			inserted.push(
				...(await tx
					.insert(notifications)
					.values(rows.slice(at, at + 500))
					.onConflictDoNothing({ target: notifications.idempotencyKey })
					.returning({ id: notifications.id, status: notifications.status, notBefore: notifications.notBefore }))
			);
		}
		await deps.queue.addSends(
			tx,
			inserted.filter((row) => row.status === 'queued').map((row) => ({ id: row.id, startAfter: row.notBefore }))
		);
		return inserted;
	});
	if (created.length) {
		deps.queue.wake();
		deps.log.debug({ count: created.length }, 'notifications queued');
	}
	return created.map((row) => row.id);
}
