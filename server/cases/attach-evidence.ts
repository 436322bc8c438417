import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import type { Upload } from '../evidence/read-uploads.ts';
import { storeEvidence } from '../evidence/store-evidence.ts';

/** Who adds evidence: an account, or a party without one (through their tracking link). */
export type EvidenceActor = { actorId: string } | { actorLabel: string; partyId: string };

/** Stores the files with the case and records one audit event per file, inside the caller's transaction. */
export async function attachEvidence(
	tx: Db,
	caseId: string,
	uploads: Upload[],
	by: EvidenceActor,
	ip: string | null
): Promise<void> {
	const uploader = 'actorId' in by ? { userId: by.actorId } : { partyId: by.partyId };
	const actor = 'actorId' in by ? { actorId: by.actorId } : { actorLabel: by.actorLabel };
	for (const file of await storeEvidence(tx, caseId, uploads, uploader)) {
		await recordCaseEvent(tx, {
			caseId,
			...actor,
			action: 'evidence.added',
			data: {
				evidenceId: file.id,
				filename: file.filename,
				mimeType: file.mimeType,
				size: file.size,
				sha256: file.sha256
			},
			ip
		});
	}
}
