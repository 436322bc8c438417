import { and, asc, eq, ne } from 'drizzle-orm';
import type { SessionKind, SessionMode, SessionStatus } from '#shared/sessions.ts';
import { findTrackedParty } from '../cases/track-case.ts';
import type { Db } from '../db/client.ts';
import { mediationSessions, sessionParticipants } from '../db/schema.ts';

export type TrackedSession = {
	id: string;
	kind: SessionKind;
	status: SessionStatus;
	scheduledFor: Date;
	title: string | null;
	/** Where the party comes to, for a session in the office. */
	mode: SessionMode;
	place: string | null;
};

/**
 * The sessions a party is invited to, for their tracking page: held, under
 * way or to come, not the cancelled ones. Never the invitation itself: its
 * link and PIN come from the mediator.
 */
export async function listTrackedSessions(db: Db, token: string): Promise<TrackedSession[]> {
	const { party } = await findTrackedParty(db, token);
	return db
		.select({
			id: mediationSessions.id,
			kind: mediationSessions.kind,
			status: mediationSessions.status,
			scheduledFor: mediationSessions.scheduledFor,
			title: mediationSessions.title,
			mode: mediationSessions.mode,
			place: mediationSessions.place
		})
		.from(sessionParticipants)
		.innerJoin(mediationSessions, eq(mediationSessions.id, sessionParticipants.sessionId))
		.where(and(eq(sessionParticipants.casePartyId, party.id), ne(mediationSessions.status, 'cancelled')))
		.orderBy(asc(mediationSessions.scheduledFor));
}
