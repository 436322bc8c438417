import { and, asc, eq } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, caseParties, cases, performanceItems } from '../db/schema.ts';

/** Reports shown on a mediator's home, at most: the oldest first, the rest wait their turn. */
const SHOWN = 20;

export type ReportedItem = {
	caseId: string;
	caseNumber: string;
	itemId: string;
	description: string;
	reportedBy: string | null;
	reportedAt: Date | null;
};

/** Items parties reported done on the cases the actor mediates, waiting for a mediator to confirm them. */
export async function listReportedItems(db: Db, actor: Actor): Promise<ReportedItem[]> {
	return db
		.select({
			caseId: cases.id,
			caseNumber: cases.number,
			itemId: performanceItems.id,
			description: performanceItems.description,
			reportedBy: caseParties.name,
			reportedAt: performanceItems.reportedAt
		})
		.from(performanceItems)
		.innerJoin(cases, eq(cases.id, performanceItems.caseId))
		.innerJoin(caseMediators, and(eq(caseMediators.caseId, cases.id), eq(caseMediators.userId, actor.id)))
		.leftJoin(caseParties, eq(caseParties.id, performanceItems.reportedByPartyId))
		.where(eq(performanceItems.state, 'reported'))
		.orderBy(asc(performanceItems.reportedAt))
		.limit(SHOWN);
}
