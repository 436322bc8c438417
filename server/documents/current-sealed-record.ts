import { and, desc, eq, isNull } from 'drizzle-orm';
import type { SealedAgreementView } from '#shared/signing.ts';
import type { Db } from '../db/client.ts';
import { sealedDocuments } from '../db/schema.ts';

/** The session's current sealed mediation record, as everyone in its draft sees it; null before it is sealed. */
export async function currentSealedRecord(db: Db, sessionId: string): Promise<SealedAgreementView | null> {
	const [sealed] = await db
		.select({
			id: sealedDocuments.id,
			sha256: sealedDocuments.sha256,
			sealedAt: sealedDocuments.sealedAt,
			pages: sealedDocuments.pages
		})
		.from(sealedDocuments)
		.where(
			and(
				eq(sealedDocuments.sessionId, sessionId),
				eq(sealedDocuments.kind, 'mediation_record'),
				isNull(sealedDocuments.supersededAt)
			)
		)
		.orderBy(desc(sealedDocuments.sealedAt))
		.limit(1);
	return sealed ? { ...sealed, sealedAt: sealed.sealedAt.toISOString() } : null;
}
