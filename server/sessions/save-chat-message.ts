import type { ChatMessage, SpaceId } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { sessionMessages } from '../db/schema.ts';
import type { Participant } from './participant-of.ts';

/** Stores a chat message said in a space of the session's room; the room has checked who may say it there. */
export async function saveChatMessage(db: Db, by: Participant, space: SpaceId, body: string): Promise<ChatMessage> {
	const [row] = await db
		.insert(sessionMessages)
		.values({ sessionId: by.sessionId, participantId: by.id, space, body })
		.returning({ id: sessionMessages.id, createdAt: sessionMessages.createdAt });
	return { id: row.id, space, peerId: by.id, authorName: by.displayName, body, sentAt: row.createdAt.toISOString() };
}
