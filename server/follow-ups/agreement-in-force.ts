import { asc, eq } from 'drizzle-orm';
import { dayOf } from '#shared/follow-ups.ts';
import type { Db } from '../db/client.ts';
import { oralAgreements, sealedAgreements } from '../db/schema.ts';

/** The agreement a follow-up checks the performance of, and the day it took effect. */
export type AgreementInForce =
	{ kind: 'agreement'; tookEffectOn: string; sha256: string } | { kind: 'oral_agreement'; tookEffectOn: string };

/**
 * The case's agreement: the sealed one (in force from its first sealing; a correction that
 * supersedes it is the one in force), or the oral one; null if the case has none.
 */
export async function agreementInForce(db: Db, caseId: string): Promise<AgreementInForce | null> {
	const sealed = await db
		.select({
			sha256: sealedAgreements.sha256,
			sealedAt: sealedAgreements.sealedAt,
			superseded: sealedAgreements.supersededAt
		})
		.from(sealedAgreements)
		.where(eq(sealedAgreements.caseId, caseId))
		.orderBy(asc(sealedAgreements.sealedAt));
	if (sealed.length) {
		const current = sealed.find((row) => row.superseded === null) ?? sealed.at(-1)!;
		return { kind: 'agreement', tookEffectOn: dayOf(sealed[0].sealedAt), sha256: current.sha256 };
	}
	const [oral] = await db
		.select({ reachedOn: oralAgreements.reachedOn })
		.from(oralAgreements)
		.where(eq(oralAgreements.caseId, caseId));
	return oral ? { kind: 'oral_agreement', tookEffectOn: oral.reachedOn } : null;
}
