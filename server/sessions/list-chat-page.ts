import { and, desc, eq, sql } from 'drizzle-orm';
import { CHAT_LIMITS, type ChatPage, type SpaceId } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { sessionMessages, sessionParticipants } from '../db/schema.ts';
import { chatColumns, chatMessageOf } from './list-chat-messages.ts';

/**
 * The latest page of the chat of a space in a session, oldest first; with `before` (a message of
 * that space), the page said before it. A cursor from elsewhere finds nothing.
 */
export async function listChatPage(db: Db, sessionId: string, space: SpaceId, before?: string): Promise<ChatPage> {
	const ofSpace = and(eq(sessionMessages.sessionId, sessionId), eq(sessionMessages.space, space));
	const earlier = before
		? sql`(${sessionMessages.createdAt}, ${sessionMessages.id}) < (select m.created_at, m.id from ${sessionMessages} m where m.id = ${before} and m.session_id = ${sessionId} and m.space = ${space})`
		: undefined;
	const rows = await db
		.select(chatColumns)
		.from(sessionMessages)
		.innerJoin(sessionParticipants, eq(sessionParticipants.id, sessionMessages.participantId))
		.where(and(ofSpace, earlier))
		.orderBy(desc(sessionMessages.createdAt), desc(sessionMessages.id))
		// One more than a page tells whether earlier messages remain.
		.limit(CHAT_LIMITS.page + 1);
	const messages = rows.slice(0, CHAT_LIMITS.page).reverse().map(chatMessageOf);
	return { messages, more: rows.length > CHAT_LIMITS.page };
}
