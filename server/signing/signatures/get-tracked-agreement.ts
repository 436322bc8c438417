import { and, eq, isNull } from 'drizzle-orm';
import type { SealedAgreementView } from '#shared/signing.ts';
import type { Db } from '../../db/client.ts';
import { agreementDrafts, draftVersions, sealedAgreements } from '../../db/schema.ts';
import { currentSealedAgreement } from './download-sealed-agreement.ts';

/** The agreement as a party reads it on their tracking page: the text they sign or signed, and the sealed PDF. */
export type TrackedAgreement = { text: string; frozenAt: Date | null; sealed: SealedAgreementView | null };

/**
 * The case's agreement once it is fixed: the text of the sealed agreement, or else of the version
 * frozen for signing. Null while it is still being drafted (or unfrozen again).
 */
export async function getTrackedAgreement(db: Db, caseId: string): Promise<TrackedAgreement | null> {
	const sealed = await currentSealedAgreement(db, caseId);
	const version = sealed
		? db
				.select({ text: draftVersions.text, frozenAt: draftVersions.frozenAt })
				.from(sealedAgreements)
				.innerJoin(draftVersions, eq(draftVersions.id, sealedAgreements.versionId))
				.where(eq(sealedAgreements.id, sealed.id))
		: db
				.select({ text: draftVersions.text, frozenAt: draftVersions.frozenAt })
				.from(agreementDrafts)
				.innerJoin(draftVersions, eq(draftVersions.id, agreementDrafts.frozenVersionId))
				.where(
					and(
						eq(agreementDrafts.caseId, caseId),
						eq(agreementDrafts.kind, 'agreement'),
						isNull(draftVersions.supersededAt)
					)
				);
	const [fixed] = await version;
	return fixed ? { ...fixed, sealed } : null;
}
