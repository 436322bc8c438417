import { and, desc, eq, isNull } from 'drizzle-orm';
import type { RecordOutcome } from '#shared/mediation-record.ts';
import type { Db } from '../db/client.ts';
import { draftVersions, sealedDocuments } from '../db/schema.ts';

/**
 * The case's most recently sealed mediation record (of any of its sessions) and the result its
 * signers signed; null when none is sealed. A mediation that failed ends with one that says so.
 */
export async function latestSealedRecord(
	db: Db,
	caseId: string
): Promise<{ id: string; sessionId: string | null; outcome: RecordOutcome | null } | null> {
	const [record] = await db
		.select({ id: sealedDocuments.id, sessionId: sealedDocuments.sessionId, outcome: draftVersions.recordOutcome })
		.from(sealedDocuments)
		.leftJoin(draftVersions, eq(draftVersions.id, sealedDocuments.versionId))
		.where(
			and(
				eq(sealedDocuments.caseId, caseId),
				eq(sealedDocuments.kind, 'mediation_record'),
				isNull(sealedDocuments.supersededAt)
			)
		)
		.orderBy(desc(sealedDocuments.sealedAt))
		.limit(1);
	return record ?? null;
}
