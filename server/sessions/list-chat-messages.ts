import { and, asc, eq, inArray } from 'drizzle-orm';
import type { ChatMessage, SpaceId } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { sessionMessages, sessionParticipants } from '../db/schema.ts';

/** What a chat message is read as, from `sessionMessages` joined to its author's `sessionParticipants` row. */
export const chatColumns = {
	id: sessionMessages.id,
	space: sessionMessages.space,
	peerId: sessionMessages.participantId,
	authorName: sessionParticipants.displayName,
	body: sessionMessages.body,
	createdAt: sessionMessages.createdAt
};

export function chatMessageOf<R extends { space: string; createdAt: Date }>({ createdAt, space, ...row }: R) {
	return { ...row, space: space as SpaceId, sentAt: createdAt.toISOString() };
}

/** The chat of the sessions named, oldest first; only the spaces given when `spaces` is set. */
export async function listChatMessages(
	db: Db,
	sessionIds: string[],
	spaces?: SpaceId[]
): Promise<(ChatMessage & { sessionId: string })[]> {
	if (!sessionIds.length || spaces?.length === 0) return [];
	const rows = await db
		.select({ ...chatColumns, sessionId: sessionMessages.sessionId })
		.from(sessionMessages)
		.innerJoin(sessionParticipants, eq(sessionParticipants.id, sessionMessages.participantId))
		.where(
			and(inArray(sessionMessages.sessionId, sessionIds), spaces ? inArray(sessionMessages.space, spaces) : undefined)
		)
		.orderBy(asc(sessionMessages.createdAt), asc(sessionMessages.id));
	return rows.map(chatMessageOf);
}
