import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { caseMediators, cases, committeeMembers, users } from '../db/schema.ts';

export type FollowUpVisitor = { id: string; name: string };

/**
 * Who may make and record a case's follow-up visits: its mediators and the mediators sitting on
 * its committee, active, in that order.
 */
export async function followUpVisitors(db: Db, caseId: string): Promise<FollowUpVisitor[]> {
	return db
		.select({ id: users.id, name: users.displayName })
		.from(users)
		.where(
			and(
				eq(users.role, 'mediator'),
				eq(users.active, true),
				or(
					sql`exists (select from ${caseMediators} where ${caseMediators.caseId} = ${caseId} and ${caseMediators.userId} = ${users.id})`,
					sql`exists (select from ${committeeMembers} join ${cases} on ${cases.committeeId} = ${committeeMembers.committeeId} where ${cases.id} = ${caseId} and ${committeeMembers.userId} = ${users.id})`
				)
			)
		)
		.orderBy(
			sql`not exists (select from ${caseMediators} where ${caseMediators.caseId} = ${caseId} and ${caseMediators.userId} = ${users.id})`,
			asc(users.displayName)
		);
}
