import { eq } from 'drizzle-orm';
import { signaturesComplete, type SigningView } from '#shared/signing.ts';
import type { Db } from '../../db/client.ts';
import { agreementDrafts, agreementSignatures } from '../../db/schema.ts';
import { caseSigners } from './case-signers.ts';
import { currentSealedAgreement } from './download-sealed-agreement.ts';

/** Who may sign the draft's frozen version and who did, and the case's sealed agreement: the same for everyone. */
export async function describeSigning(db: Db, draftId: string, caseId: string): Promise<SigningView> {
	const [[draft], signers, sealed] = await Promise.all([
		db
			.select({ versionId: agreementDrafts.frozenVersionId })
			.from(agreementDrafts)
			.where(eq(agreementDrafts.id, draftId)),
		caseSigners(db, caseId),
		currentSealedAgreement(db, caseId)
	]);
	const versionId = draft?.versionId ?? null;
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
