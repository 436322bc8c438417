import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { caseParties, sessionParticipants } from '../db/schema.ts';

/**
 * The tracking link token of the case party a session participant is, for the room and the
 * join page to point them to their case and its agreement; null for anyone else, or a link
 * issued before tokens were kept.
 */
export async function partyTrackingToken(db: Db, participantId: string): Promise<string | null> {
	const [party] = await db
		.select({ token: caseParties.trackingToken })
		.from(sessionParticipants)
		.innerJoin(caseParties, eq(caseParties.id, sessionParticipants.casePartyId))
		.where(eq(sessionParticipants.id, participantId));
	return party?.token ?? null;
}
