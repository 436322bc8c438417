import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { DraftCommentView } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { draftComments } from '../db/schema.ts';
import { commentView } from './describe-draft.ts';
import type { DraftAuthor } from './draft-role.ts';

/** A comment, or a suggested wording, on a passage of the draft: how parties take part before they may write. */
export async function addDraftComment(
	db: Db,
	draftId: string,
	input: { kind: 'comment' | 'suggestion'; quote?: string; body: string },
	author: DraftAuthor
): Promise<DraftCommentView> {
	const [row] = await db
		.insert(draftComments)
		.values({
			draftId,
			kind: input.kind,
			quote: input.quote?.trim() || null,
			body: input.body,
			author: author.key,
			authorName: author.name
		})
		.returning();
	return commentView(row);
}

/** The mediator marks a comment dealt with (taken into the text, or answered). */
export async function resolveDraftComment(db: Db, draftId: string, commentId: string): Promise<void> {
	const resolved = await db
		.update(draftComments)
		.set({ resolvedAt: new Date() })
		.where(and(eq(draftComments.id, commentId), eq(draftComments.draftId, draftId), isNull(draftComments.resolvedAt)))
		.returning({ id: draftComments.id });
	if (!resolved.length) throw new AppError('NOT_FOUND');
}
