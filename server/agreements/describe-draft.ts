import { asc, eq } from 'drizzle-orm';
import type { DraftCommentView, DraftSnapshot } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { agreementDrafts, draftComments, draftVersions } from '../db/schema.ts';
import { describeSigning } from '../signing/describe-signing.ts';
import type { LiveDraft } from './draft-store.ts';
import { versionView } from './draft-versions.ts';

export function commentView(row: typeof draftComments.$inferSelect): DraftCommentView {
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

/** Everything about a draft but its content, which comes by sync: the same for everyone in it. */
export async function describeDraft(db: Db, draft: LiveDraft): Promise<Omit<DraftSnapshot, 'role' | 'me'>> {
	const [[row], versions, comments] = await Promise.all([
		db.select().from(agreementDrafts).where(eq(agreementDrafts.id, draft.id)),
		db.select().from(draftVersions).where(eq(draftVersions.draftId, draft.id)).orderBy(asc(draftVersions.seq)),
		db.select().from(draftComments).where(eq(draftComments.draftId, draft.id)).orderBy(asc(draftComments.createdAt))
	]);
	return {
		draftId: draft.id,
		partiesMayEdit: row.partiesMayEdit,
		frozenVersionId: row.frozenVersionId,
		versions: versions.map(versionView),
		comments: comments.map(commentView),
		authors: Object.fromEntries([...draft.authors].map(([client, author]) => [String(client), author.name])),
		signing: await describeSigning(db, draft.id, draft.caseId)
	};
}
