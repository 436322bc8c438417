import { count, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { MAX_PROOFS_PER_ITEM, MAX_PROOFS_PER_UPLOAD, PROOF_MAX_BYTES, PROOF_TYPES } from '#shared/performance.ts';
import type { Db } from '../db/client.ts';
import { readUploads, type Upload } from '../evidence/read-uploads.ts';
import { performanceProofs, storedFiles } from '../db/schema.ts';

/** The proof files of a form (field `proof`): photos and PDFs, sniffed by content as evidence is. */
export function readProofUploads(files: File[]): Promise<Upload[]> {
	return readUploads(files, {
		maxFiles: MAX_PROOFS_PER_UPLOAD,
		maxBytes: PROOF_MAX_BYTES,
		types: PROOF_TYPES,
		field: 'proof'
	});
}

/** Who uploaded proof: a mediator's account, or a party through their link. */
export type ProofUploader = { userId: string } | { partyId: string };

/**
 * Stores checked proof files with an item, inside the caller's transaction (which holds the
 * item's row lock, so two uploads cannot both pass the cap). Returns what the audit event names.
 */
export async function storeProofs(
	tx: Db,
	item: { id: string; caseId: string },
	uploads: Upload[],
	by: ProofUploader
): Promise<{ proofId: string; filename: string; sha256: string; size: number }[]> {
	const [{ n }] = await tx.select({ n: count() }).from(performanceProofs).where(eq(performanceProofs.itemId, item.id));
	if (n + uploads.length > MAX_PROOFS_PER_ITEM) throw new AppError('VALIDATION', { fields: { proof: ['too_many'] } });
	const stored = [];
	for (const upload of uploads) {
		const [file] = await tx
			.insert(storedFiles)
			.values({ sha256: upload.sha256, mimeType: upload.mimeType, size: upload.size, content: upload.bytes })
			.returning({ id: storedFiles.id });
		const [proof] = await tx
			.insert(performanceProofs)
			.values({
				itemId: item.id,
				caseId: item.caseId,
				fileId: file.id,
				filename: upload.filename,
				uploadedById: 'userId' in by ? by.userId : null,
				uploadedByPartyId: 'partyId' in by ? by.partyId : null
			})
			.returning({ id: performanceProofs.id });
		stored.push({ proofId: proof.id, filename: upload.filename, sha256: upload.sha256, size: upload.size });
	}
	return stored;
}
