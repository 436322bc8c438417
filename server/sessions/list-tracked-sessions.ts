import { and, asc, eq, inArray } from 'drizzle-orm';
import { JOINABLE_STATUSES, type SessionKind, type SessionStatus } from '#shared/sessions.ts';
import { findTrackedParty } from '../cases/track-case.ts';
import type { Db } from '../db/client.ts';
import { mediationSessions, sessionParticipants } from '../db/schema.ts';

export type TrackedSession = {
	id: string;
	kind: SessionKind;
	status: SessionStatus;
	scheduledFor: Date;
	title: string | null;
};

/**
 * The sessions a party is invited to, for their tracking page: those still
 * to be held or under way. Never the invitation itself: its link and PIN
 * come from the mediator.
 */
export async function listTrackedSessions(db: Db, token: string): Promise<TrackedSession[]> {
	const { party } = await findTrackedParty(db, token);
	return db
		.select({
			id: mediationSessions.id,
			kind: mediationSessions.kind,
			status: mediationSessions.status,
			scheduledFor: mediationSessions.scheduledFor,
			title: mediationSessions.title
		})
		.from(sessionParticipants)
		.innerJoin(mediationSessions, eq(mediationSessions.id, sessionParticipants.sessionId))
		.where(
			and(eq(sessionParticipants.casePartyId, party.id), inArray(mediationSessions.status, [...JOINABLE_STATUSES]))
		)
		.orderBy(asc(mediationSessions.scheduledFor));
}
