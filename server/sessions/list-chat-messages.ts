import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ChatMessage, SpaceId } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { sessionMessages, sessionParticipants } from '../db/schema.ts';

/** The chat of the sessions named, oldest first; only the spaces given when `spaces` is set. */
export async function listChatMessages(
	db: Db,
	sessionIds: string[],
	spaces?: SpaceId[]
): Promise<(ChatMessage & { sessionId: string })[]> {
	if (!sessionIds.length || spaces?.length === 0) return [];
	const rows = await db
		.select({
			id: sessionMessages.id,
			sessionId: sessionMessages.sessionId,
			space: sessionMessages.space,
			peerId: sessionMessages.participantId,
			authorName: sessionParticipants.displayName,
			body: sessionMessages.body,
			createdAt: sessionMessages.createdAt
		})
		.from(sessionMessages)
		.innerJoin(sessionParticipants, eq(sessionParticipants.id, sessionMessages.participantId))
		.where(
			and(inArray(sessionMessages.sessionId, sessionIds), spaces ? inArray(sessionMessages.space, spaces) : undefined)
		)
		.orderBy(asc(sessionMessages.createdAt), asc(sessionMessages.id));
	return rows.map(({ createdAt, space, ...row }) => ({
		...row,
		space: space as SpaceId,
		sentAt: createdAt.toISOString()
	}));
}
