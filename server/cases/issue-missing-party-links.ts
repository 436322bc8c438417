import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { caseParties } from '../db/schema.ts';
import { newTrackingToken } from './create-case.ts';

/**
 * Gives every party of the case who has no tracking link one of their own (a respondent, a
 * walk-in applicant), so that nobody depends on the mediator remembering to; returns who got one.
 */
export async function issueMissingPartyLinks(tx: Db, caseId: string): Promise<string[]> {
	const unlinked = await tx
		.select({ id: caseParties.id })
		.from(caseParties)
		.where(and(eq(caseParties.caseId, caseId), isNull(caseParties.trackingTokenHash)));
	for (const party of unlinked) {
		const link = newTrackingToken();
		await tx
			.update(caseParties)
			.set({ trackingTokenHash: link.hash, trackingToken: link.token })
			.where(eq(caseParties.id, party.id));
	}
	return unlinked.map((party) => party.id);
}
