import { asc, eq } from 'drizzle-orm';
import type { CaseDocumentView } from '#shared/documents.ts';
import type { Db } from '../db/client.ts';
import { sealedDocuments } from '../db/schema.ts';

/** The case's sealed documents in the order they were sealed, superseded ones included (marked). */
export async function listCaseDocuments(db: Db, caseId: string): Promise<CaseDocumentView[]> {
	const rows = await db
		.select({
			id: sealedDocuments.id,
			kind: sealedDocuments.kind,
			sessionId: sealedDocuments.sessionId,
			sha256: sealedDocuments.sha256,
			pages: sealedDocuments.pages,
			sealedAt: sealedDocuments.sealedAt,
			supersededAt: sealedDocuments.supersededAt
		})
		.from(sealedDocuments)
		.where(eq(sealedDocuments.caseId, caseId))
		.orderBy(asc(sealedDocuments.sealedAt));
	return rows.map((row) => ({
		...row,
		sealedAt: row.sealedAt.toISOString(),
		supersededAt: row.supersededAt?.toISOString() ?? null
	}));
}
