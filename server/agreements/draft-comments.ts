import { and, asc, count, eq, gt, isNull, sql } from 'drizzle-orm';
import { DRAFT_RIGHTS, type DraftRole } from '#shared/agreement.ts';
import { DRAFT_LIMITS } from '#shared/draft-limits.ts';
import { AppError } from '#shared/errors.ts';
import type { DraftCommentView } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { draftComments } from '../db/schema.ts';
import type { DraftAuthor } from './draft-role.ts';

/** A comment as someone writes it: on a passage they quote, or on the whole draft. */
export type DraftCommentInput = { kind: 'comment' | 'suggestion'; quote?: string; body: string };

function commentView(row: typeof draftComments.$inferSelect): DraftCommentView {
	return {
		id: row.id,
		kind: row.kind,
		quote: row.quote,
		body: row.body,
		authorName: row.authorName,
		resolvedAt: row.resolvedAt?.toISOString() ?? null,
		createdAt: row.createdAt.toISOString()
	};
}

/** The draft's comments, oldest first: sent whole only to someone opening it. */
export async function listDraftComments(db: Db, draftId: string): Promise<DraftCommentView[]> {
	const rows = await db
		.select()
		.from(draftComments)
		.where(eq(draftComments.draftId, draftId))
		.orderBy(asc(draftComments.createdAt));
	return rows.map(commentView);
}

/**
 * A comment, or a suggested wording, on a passage of the draft: how parties take part before they
 * may write. Those who only read may not; a draft holds a bounded number of comments, and a
 * person posts only so many a minute.
 */
export async function addDraftComment(
	db: Db,
	draftId: string,
	input: DraftCommentInput,
	by: { role: DraftRole; author: DraftAuthor }
): Promise<DraftCommentView> {
	if (!DRAFT_RIGHTS[by.role].comment) throw new AppError('FORBIDDEN');
	return db.transaction(async (tx) => {
		// One comment of a draft at a time: comments sent at once are counted, each after the other.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`draft-comments:${draftId}`}))`);
		const [counted] = await tx
			.select({
				all: count(),
				lastMinute: count(
					sql`case when ${draftComments.author} = ${by.author.key} and ${gt(draftComments.createdAt, sql`now() - interval '1 minute'`)} then 1 end`
				)
			})
			.from(draftComments)
			.where(eq(draftComments.draftId, draftId));
		if (counted.lastMinute >= DRAFT_LIMITS.commentsPerMinute) throw new AppError('RATE_LIMITED');
		if (counted.all >= DRAFT_LIMITS.comments) throw new AppError('DRAFT_LIMIT', { fields: { comments: ['too_many'] } });
		const [row] = await tx
			.insert(draftComments)
			.values({
				draftId,
				kind: input.kind,
				quote: input.quote?.trim() || null,
				body: input.body,
				author: by.author.key,
				authorName: by.author.name
			})
			.returning();
		return commentView(row);
	});
}

/** The mediator marks a comment dealt with (taken into the text, or answered). */
export async function resolveDraftComment(db: Db, draftId: string, commentId: string): Promise<DraftCommentView> {
	const [resolved] = await db
		.update(draftComments)
		.set({ resolvedAt: new Date() })
		.where(and(eq(draftComments.id, commentId), eq(draftComments.draftId, draftId), isNull(draftComments.resolvedAt)))
		.returning();
	if (!resolved) throw new AppError('NOT_FOUND');
	return commentView(resolved);
}
