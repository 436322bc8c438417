import { and, eq } from 'drizzle-orm';
import type { EvidenceType } from '#shared/cases.ts';
import type { Db } from '../db/client.ts';
import { caseParties, storedFiles } from '../db/schema.ts';
import type { EvidenceFile } from './read-evidence-file.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The power of attorney of a party's agent, content included; the caller has checked who may read it. */
export async function readPowerOfAttorneyFile(db: Db, caseId: string, partyId: string): Promise<EvidenceFile | null> {
	if (!UUID.test(caseId) || !UUID.test(partyId)) return null;
	const [row] = await db
		.select({
			filename: caseParties.agentPowerOfAttorneyFilename,
			mimeType: storedFiles.mimeType,
			size: storedFiles.size,
			sha256: storedFiles.sha256,
			content: storedFiles.content
		})
		.from(caseParties)
		.innerJoin(storedFiles, eq(storedFiles.id, caseParties.agentPowerOfAttorneyFileId))
		.where(and(eq(caseParties.id, partyId), eq(caseParties.caseId, caseId)));
	// Only the types readPowerOfAttorney lets through are ever stored.
	return row ? { ...row, filename: row.filename ?? 'file', mimeType: row.mimeType as EvidenceType } : null;
}
