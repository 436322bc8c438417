import { eq } from 'drizzle-orm';
import type { AppCore } from '../app.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { sessionParticipants } from '../db/schema.ts';
import { participantOf, type Participant, type RoomIdentity, type RoomSession } from './participant-of.ts';

/**
 * Someone opens a session's room. For an account holder this is their join,
 * recorded as a `session.joined` event with their address; someone invited
 * joined when their PIN was accepted (join-by-invitation), which is recorded
 * there.
 */
export async function enterRoom(
	app: AppCore,
	sessionId: string,
	identity: RoomIdentity,
	ip: string | null,
	now = new Date()
): Promise<{ participant: Participant; session: RoomSession }> {
	const entry = await participantOf(app.db, sessionId, identity, now);
	if ('actor' in identity) {
		const { participant, session } = entry;
		await app.db.transaction(async (tx) => {
			await tx.update(sessionParticipants).set({ lastJoinedAt: now }).where(eq(sessionParticipants.id, participant.id));
			await recordCaseEvent(tx, {
				caseId: session.caseId,
				actorId: identity.actor.id,
				action: 'session.joined',
				data: { sessionId: session.id, participantId: participant.id, role: participant.role, via: 'account' },
				ip
			});
		});
	}
	return entry;
}
