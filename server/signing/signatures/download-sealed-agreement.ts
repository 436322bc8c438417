import { and, desc, eq, isNull } from 'drizzle-orm';
import type { SealedAgreementView } from '#shared/signing.ts';
import type { Db } from '../../db/client.ts';
import { cases, sealedAgreements } from '../../db/schema.ts';
import type { RoomIdentity } from '../../sessions/participant-of.ts';
import { signerFor } from './case-signers.ts';

/** Whether any of `identities` (an account, an invitation) has a part in signing the case's agreement. */
async function hasPart(db: Db, caseId: string, identities: RoomIdentity[]): Promise<boolean> {
	const signers = await Promise.all(
		identities.map((identity) => signerFor(db, identity, { caseId, kind: 'agreement', sessionId: null }))
	);
	return signers.some(Boolean);
}

const current = (caseId: string) => and(eq(sealedAgreements.caseId, caseId), isNull(sealedAgreements.supersededAt));

/**
 * The case's current sealed agreement for someone with a part in it, 'forbidden' for anyone
 * else, null when there is none.
 */
export async function downloadSealedAgreement(db: Db, caseId: string, identities: RoomIdentity[]) {
	if (!(await hasPart(db, caseId, identities))) return 'forbidden' as const;
	return currentSealedPdf(db, caseId);
}

/** The case's current sealed agreement as a file, for a caller who checked who asks; null when there is none. */
export async function currentSealedPdf(db: Db, caseId: string) {
	const [sealed] = await db
		.select({ pdf: sealedAgreements.pdf, sha256: sealedAgreements.sha256, caseNumber: cases.number })
		.from(sealedAgreements)
		.innerJoin(cases, eq(cases.id, sealedAgreements.caseId))
		.where(current(caseId))
		.orderBy(desc(sealedAgreements.sealedAt))
		.limit(1);
	return sealed ?? null;
}

/** The case's current sealed agreement, as everyone in its draft sees it. */
export async function currentSealedAgreement(db: Db, caseId: string): Promise<SealedAgreementView | null> {
	const [sealed] = await db
		.select({
			id: sealedAgreements.id,
			sha256: sealedAgreements.sha256,
			sealedAt: sealedAgreements.sealedAt,
			pages: sealedAgreements.pages
		})
		.from(sealedAgreements)
		.where(current(caseId))
		.orderBy(desc(sealedAgreements.sealedAt))
		.limit(1);
	return sealed ? { ...sealed, sealedAt: sealed.sealedAt.toISOString() } : null;
}

/** What the case page shows of the current sealed agreement: to those with a part in it only. */
export async function sealedAgreementShownTo(
	db: Db,
	caseId: string,
	identities: RoomIdentity[]
): Promise<SealedAgreementView | null> {
	return (await hasPart(db, caseId, identities)) ? currentSealedAgreement(db, caseId) : null;
}
