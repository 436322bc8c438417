import type { Db } from '../db/client.ts';
import { caseEvidence, storedFiles } from '../db/schema.ts';
import type { Upload } from './read-uploads.ts';

export type StoredEvidence = { id: string; filename: string; mimeType: string; sha256: string; size: number };

/**
 * Saves checked uploads as evidence of a case, inside the caller's
 * transaction; the caller records the audit event with what this returns.
 */
export async function storeEvidence(
	tx: Db,
	caseId: string,
	uploads: Upload[],
	uploader: { userId?: string | null; partyId?: string | null }
): Promise<StoredEvidence[]> {
	const stored: StoredEvidence[] = [];
	for (const upload of uploads) {
		const [file] = await tx
			.insert(storedFiles)
			.values({ sha256: upload.sha256, mimeType: upload.mimeType, size: upload.size, content: upload.bytes })
			.returning({ id: storedFiles.id });
		const [evidence] = await tx
			.insert(caseEvidence)
			.values({
				caseId,
				fileId: file.id,
				filename: upload.filename,
				uploadedById: uploader.userId ?? null,
				uploadedByPartyId: uploader.partyId ?? null
			})
			.returning({ id: caseEvidence.id });
		stored.push({
			id: evidence.id,
			filename: upload.filename,
			mimeType: upload.mimeType,
			sha256: upload.sha256,
			size: upload.size
		});
	}
	return stored;
}
