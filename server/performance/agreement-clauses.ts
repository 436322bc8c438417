import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { draftVersions, oralAgreements, sealedAgreements } from '../db/schema.ts';
import { agreementOfRecord } from './plan-access.ts';

/** Lines of the agreement shown, at most: an agreement is a page or two. */
const MAX_LINES = 200;

/**
 * The terms of the case's agreement, line by line, for the mediator to turn into plan items: the
 * sealed agreement's text, or the oral agreement's terms and how they are performed.
 */
export async function agreementClauses(db: Db, caseId: string): Promise<string[]> {
	const agreement = await agreementOfRecord(db, caseId);
	if (!agreement) return [];
	let text: string;
	if (agreement.sealedAgreementId) {
		const [row] = await db
			.select({ text: draftVersions.text })
			.from(sealedAgreements)
			.innerJoin(draftVersions, eq(draftVersions.id, sealedAgreements.versionId))
			.where(eq(sealedAgreements.id, agreement.sealedAgreementId));
		text = row?.text ?? '';
	} else {
		const [row] = await db
			.select({ terms: oralAgreements.terms, performance: oralAgreements.performance })
			.from(oralAgreements)
			.where(eq(oralAgreements.id, agreement.oralAgreementId!));
		text = row ? `${row.terms}\n${row.performance}` : '';
	}
	return (
		text
			// Oral terms come in one line, 一、…；二、…: each numbered term on a line of its own.
			.split(/\n+|(?<=；)(?=[一二三四五六七八九十]+、)/)
			.map((line) => line.trim())
			.filter(Boolean)
			.slice(0, MAX_LINES)
	);
}
