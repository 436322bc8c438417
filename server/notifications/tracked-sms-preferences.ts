import { and, count, eq, gt, sql } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import {
	OPTIONAL_KINDS,
	mainlandMobile,
	maskedMobile,
	smsPreferencesSchema,
	type NotificationKind
} from '#shared/notifications.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { findTrackedParty } from '../cases/track-case.ts';
import type { Db } from '../db/client.ts';
import { caseEvents, notificationPreferences } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { phoneSubject } from './enqueue-messages.ts';

/** Changes one party may make in a day: each is a line of the case's audit log, which a link must not flood. */
export const SMS_PREFERENCE_CHANGES_PER_DAY = 10;
const CHANGED = 'notification.preferences_changed';

export type TrackedSmsPreferences =
	/** The party's number takes no SMS (a landline, none on file): there is nothing to choose. */
	{ reachable: false } | { reachable: true; maskedPhone: string; receive: NotificationKind[] };

async function optOutOf(db: Db, mobile: string): Promise<NotificationKind[]> {
	const [row] = await db
		.select({ optOut: notificationPreferences.optOut })
		.from(notificationPreferences)
		.where(eq(notificationPreferences.subject, phoneSubject(mobile)));
	return (row?.optOut ?? []).filter((kind) => OPTIONAL_KINDS.includes(kind));
}

/** Which optional SMS the party of a tracking link gets at the number the committee has for them. */
export async function getTrackedSmsPreferences(db: Db, token: string): Promise<TrackedSmsPreferences> {
	const { party } = await findTrackedParty(db, token);
	const mobile = mainlandMobile(party.phone);
	if (!mobile) return { reachable: false };
	const optOut = await optOutOf(db, mobile);
	return {
		reachable: true,
		maskedPhone: maskedMobile(mobile),
		receive: OPTIONAL_KINDS.filter((kind) => !optOut.includes(kind))
	};
}

/**
 * A party without an account chooses, through their tracking link, which optional SMS their
 * number gets. The number is always the one the committee has for the link's own party, never
 * one from the form, so a link changes no one else's messages. A change is recorded in the
 * case's audit log, so the mediator sees why a reminder was not sent.
 */
export async function saveTrackedSmsPreferences(
	app: { db: Db },
	token: string,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<void> {
	const { receive } = parseInput(smsPreferencesSchema, input);
	const optOut = OPTIONAL_KINDS.filter((kind) => !receive.includes(kind));
	await app.db.transaction(async (tx) => {
		const { party, caseRow } = await findTrackedParty(tx, token, true);
		const mobile = mainlandMobile(party.phone);
		if (!mobile) throw new AppError('CONFLICT');
		const before = await optOutOf(tx, mobile);
		if (before.length === optOut.length && optOut.every((kind) => before.includes(kind))) return;
		const [today] = await tx
			.select({ changes: count() })
			.from(caseEvents)
			.where(
				and(
					eq(caseEvents.caseId, caseRow.id),
					eq(caseEvents.action, CHANGED),
					sql`${caseEvents.data}->>'partyId' = ${party.id}`,
					gt(caseEvents.createdAt, new Date(now.getTime() - 86_400_000))
				)
			);
		if (today.changes >= SMS_PREFERENCE_CHANGES_PER_DAY)
			throw new AppError('RATE_LIMITED', { fields: { receive: ['changed_too_often'] } });
		await tx
			.insert(notificationPreferences)
			.values({ subject: phoneSubject(mobile), optOut, updatedAt: now })
			.onConflictDoUpdate({ target: notificationPreferences.subject, set: { optOut, updatedAt: now } });
		await recordCaseEvent(tx, {
			caseId: caseRow.id,
			actorLabel: party.name,
			action: CHANGED,
			data: { partyId: party.id, optOut },
			ip
		});
	});
}
