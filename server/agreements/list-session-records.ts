import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { RecordResult } from '#shared/mediation-record.ts';
import type { Db } from '../db/client.ts';
import { agreementDrafts, sealedDocuments } from '../db/schema.ts';

/** Where a session's record stands: not started, being written, frozen for signing, or sealed (with its document). */
export type SessionRecordState = {
	status: 'draft' | 'frozen' | 'sealed';
	result: RecordResult | null;
	/** The sealed record among the case's documents. */
	documentId: string | null;
};

/** The records of these sessions, by session id; a session without one is not in the map. */
export async function listSessionRecords(db: Db, sessionIds: string[]): Promise<Map<string, SessionRecordState>> {
	if (!sessionIds.length) return new Map();
	const [drafts, sealed] = await Promise.all([
		db
			.select({
				sessionId: agreementDrafts.sessionId,
				frozenVersionId: agreementDrafts.frozenVersionId,
				outcome: agreementDrafts.recordOutcome
			})
			.from(agreementDrafts)
			.where(and(eq(agreementDrafts.kind, 'mediation_record'), inArray(agreementDrafts.sessionId, sessionIds))),
		db
			.select({ id: sealedDocuments.id, sessionId: sealedDocuments.sessionId, versionId: sealedDocuments.versionId })
			.from(sealedDocuments)
			.where(
				and(
					eq(sealedDocuments.kind, 'mediation_record'),
					inArray(sealedDocuments.sessionId, sessionIds),
					isNull(sealedDocuments.supersededAt)
				)
			)
	]);
	return new Map(
		drafts.map((draft) => {
			const document = sealed.find((s) => s.sessionId === draft.sessionId);
			const status = document ? 'sealed' : draft.frozenVersionId ? 'frozen' : 'draft';
			return [draft.sessionId!, { status, result: draft.outcome?.result ?? null, documentId: document?.id ?? null }];
		})
	);
}
