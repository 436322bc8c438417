import { and, eq } from 'drizzle-orm';
import type { EvidenceType } from '#shared/cases.ts';
import type { Db } from '../db/client.ts';
import { caseEvidence, storedFiles } from '../db/schema.ts';

export type EvidenceFile = { filename: string; mimeType: EvidenceType; size: number; sha256: string; content: Buffer };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One evidence file of a case, content included. The caller has checked that
 * the case is visible; matching on the case too means an id from another case
 * finds nothing.
 */
export async function readEvidenceFile(db: Db, caseId: string, evidenceId: string): Promise<EvidenceFile | null> {
	// An id from a URL may be anything; PostgreSQL would reject a malformed uuid with an error.
	if (!UUID.test(caseId) || !UUID.test(evidenceId)) return null;
	const [row] = await db
		.select({
			filename: caseEvidence.filename,
			mimeType: storedFiles.mimeType,
			size: storedFiles.size,
			sha256: storedFiles.sha256,
			content: storedFiles.content
		})
		.from(caseEvidence)
		.innerJoin(storedFiles, eq(storedFiles.id, caseEvidence.fileId))
		.where(and(eq(caseEvidence.id, evidenceId), eq(caseEvidence.caseId, caseId)));
	// Only types that detectEvidenceType named are ever stored.
	return row ? { ...row, mimeType: row.mimeType as EvidenceType } : null;
}
