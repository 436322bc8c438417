import { asc, eq } from 'drizzle-orm';
import type { DraftChange } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { agreementDrafts, draftVersions } from '../db/schema.ts';
import { describeSigning } from '../signing/signatures/describe-signing.ts';
import type { LiveDraft } from './draft-store.ts';
import { versionView } from './draft-versions.ts';
import { readRecordHeader } from './read-record-header.ts';

/**
 * Everything about a draft but its content, which comes by sync, and its comments, which come
 * one by one: the same for everyone in it. A record's header is read from the session as it stands.
 */
export async function describeDraft(db: Db, draft: LiveDraft): Promise<DraftChange> {
	const [[row], versions, header] = await Promise.all([
		db.select().from(agreementDrafts).where(eq(agreementDrafts.id, draft.id)),
		db.select().from(draftVersions).where(eq(draftVersions.draftId, draft.id)).orderBy(asc(draftVersions.seq)),
		draft.sessionId ? readRecordHeader(db, draft.sessionId) : null
	]);
	return {
		draftId: draft.id,
		kind: draft.kind,
		sessionId: draft.sessionId,
		record: header && { header, outcome: row.recordOutcome },
		partiesMayEdit: row.partiesMayEdit,
		frozenVersionId: row.frozenVersionId,
		versions: versions.map(versionView),
		authors: Object.fromEntries([...draft.authors].map(([client, author]) => [String(client), author.name])),
		signing: await describeSigning(db, draft)
	};
}
