import { eq } from 'drizzle-orm';
import { signaturesComplete, type SigningView } from '#shared/signing.ts';
import type { DraftTarget } from '../../agreements/draft-role.ts';
import type { Db } from '../../db/client.ts';
import { agreementDrafts, agreementSignatures } from '../../db/schema.ts';
import { currentSealedRecord } from '../../documents/current-sealed-record.ts';
import { draftSigners } from './case-signers.ts';
import { currentSealedAgreement } from './download-sealed-agreement.ts';

/**
 * Who may sign the draft's frozen version and who did, and what of it is sealed (the case's
 * agreement, or the session's record): the same for everyone.
 */
export async function describeSigning(db: Db, draft: DraftTarget & { id: string }): Promise<SigningView> {
	const [[row], signers, sealed] = await Promise.all([
		db
			.select({ versionId: agreementDrafts.frozenVersionId })
			.from(agreementDrafts)
			.where(eq(agreementDrafts.id, draft.id)),
		draftSigners(db, draft),
		draft.sessionId ? currentSealedRecord(db, draft.sessionId) : currentSealedAgreement(db, draft.caseId)
	]);
	const versionId = row?.versionId ?? null;
	const signatures = versionId
		? await db
				.select({ signer: agreementSignatures.signer, signedAt: agreementSignatures.signedAt })
				.from(agreementSignatures)
				.where(eq(agreementSignatures.versionId, versionId))
		: [];
	const signedAt = new Map(signatures.map((s) => [s.signer, s.signedAt.toISOString()]));
	const views = signers.map((s) => ({ ...s, signedAt: signedAt.get(s.key) ?? null }));
	return {
		versionId,
		signers: views,
		complete: versionId !== null && signaturesComplete(views),
		sealed
	};
}
