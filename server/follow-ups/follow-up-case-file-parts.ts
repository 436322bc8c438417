import { asc, eq, and, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { followUps, sealedDocuments } from '../db/schema.ts';
import { documentLabels } from '../signing/pdf/document-labels.ts';
import type { DossierPdfInput } from '../signing/pdf/dossier-pdf-input.ts';

/** The case file's part of the follow-ups: each visit's sealed 回访记录, in the order of the visits. */
export async function followUpCaseFileParts(db: Db, caseId: string): Promise<DossierPdfInput['parts']> {
	const rows = await db
		.select({ pdf: sealedDocuments.pdf })
		.from(followUps)
		.innerJoin(sealedDocuments, eq(sealedDocuments.id, followUps.documentId))
		.where(and(eq(followUps.caseId, caseId), isNotNull(followUps.documentId)))
		.orderBy(asc(followUps.seq));
	const title = documentLabels('zh-CN').titles.follow_up_record;
	return rows.map((row) => ({ type: 'pdf', title, pdf: new Uint8Array(row.pdf) }));
}
