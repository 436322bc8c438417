import { and, eq } from 'drizzle-orm';
import type { EvidenceType } from '#shared/cases.ts';
import type { Db } from '../db/client.ts';
import type { EvidenceFile } from '../evidence/read-evidence-file.ts';
import { performanceProofs, storedFiles } from '../db/schema.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One proof file of a case's performance, content included, to serve as evidence is served. The
 * caller has checked that the case is visible; matching on the case too means an id from another
 * case finds nothing.
 */
export async function readProofFile(db: Db, caseId: string, proofId: string): Promise<EvidenceFile | null> {
	if (!UUID.test(caseId) || !UUID.test(proofId)) return null;
	const [row] = await db
		.select({
			filename: performanceProofs.filename,
			mimeType: storedFiles.mimeType,
			size: storedFiles.size,
			sha256: storedFiles.sha256,
			content: storedFiles.content
		})
		.from(performanceProofs)
		.innerJoin(storedFiles, eq(storedFiles.id, performanceProofs.fileId))
		.where(and(eq(performanceProofs.id, proofId), eq(performanceProofs.caseId, caseId)));
	// Only proof types that detectEvidenceType named are ever stored.
	return row ? { ...row, mimeType: row.mimeType as EvidenceType } : null;
}
