import { asc, eq } from 'drizzle-orm';
import type { DraftChange } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { agreementDrafts, draftVersions } from '../db/schema.ts';
import { describeSigning } from '../signing/signatures/describe-signing.ts';
import type { LiveDraft } from './draft-store.ts';
import { versionView } from './draft-versions.ts';

/**
 * Everything about a draft but its content, which comes by sync, and its comments, which come
 * one by one: the same for everyone in it.
 */
export async function describeDraft(db: Db, draft: LiveDraft): Promise<DraftChange> {
	const [[row], versions] = await Promise.all([
		db.select().from(agreementDrafts).where(eq(agreementDrafts.id, draft.id)),
		db.select().from(draftVersions).where(eq(draftVersions.draftId, draft.id)).orderBy(asc(draftVersions.seq))
	]);
	return {
		draftId: draft.id,
		partiesMayEdit: row.partiesMayEdit,
		frozenVersionId: row.frozenVersionId,
		versions: versions.map(versionView),
		authors: Object.fromEntries([...draft.authors].map(([client, author]) => [String(client), author.name])),
		signing: await describeSigning(db, draft.id, draft.caseId)
	};
}
