import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cases, sealedDocuments } from '../db/schema.ts';

/**
 * One sealed document of the case as a file, for a caller who checked that the asker takes part
 * in the case; null when the case has no such document.
 */
export async function readCaseDocument(db: Db, caseId: string, documentId: string) {
	const [document] = await db
		.select({
			pdf: sealedDocuments.pdf,
			sha256: sealedDocuments.sha256,
			kind: sealedDocuments.kind,
			caseNumber: cases.number
		})
		.from(sealedDocuments)
		.innerJoin(cases, eq(cases.id, sealedDocuments.caseId))
		.where(and(eq(sealedDocuments.caseId, caseId), eq(sealedDocuments.id, documentId)));
	return document ?? null;
}
