import { desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { CaseStatus, DisputeType } from '#shared/cases.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { caseParties, cases, committeeMembers } from '../db/schema.ts';

export type HomeCase = { id: string; number: string; disputeType: DisputeType; status: CaseStatus; createdAt: Date };

const HOME_LIMIT = 20;

/**
 * The cases that concern the actor by their role: a mediator's committee's, a
 * grid worker's reports, a party's own. Legal experts see cases once invited
 * to them, which comes with consultations.
 */
function homeScope(db: Db, actor: Actor): SQL | null {
	switch (actor.role) {
		case 'mediator':
			return inArray(
				cases.committeeId,
				db
					.select({ id: committeeMembers.committeeId })
					.from(committeeMembers)
					.where(eq(committeeMembers.userId, actor.id))
			);
		case 'grid_worker':
			return eq(cases.reporterId, actor.id);
		case 'party':
			return inArray(
				cases.id,
				db.select({ id: caseParties.caseId }).from(caseParties).where(eq(caseParties.userId, actor.id))
			);
		default:
			return null;
	}
}

/** The latest cases on the actor's home page. */
export async function listHomeCases(db: Db, actor: Actor): Promise<HomeCase[]> {
	const scope = homeScope(db, actor);
	if (!scope) return [];
	return db
		.select({
			id: cases.id,
			number: cases.number,
			disputeType: cases.disputeType,
			status: cases.status,
			createdAt: cases.createdAt
		})
		.from(cases)
		.where(scope)
		.orderBy(desc(cases.createdAt))
		.limit(HOME_LIMIT);
}
