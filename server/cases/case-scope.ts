import { and, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import {
	caseExperts,
	caseMediators,
	caseParties,
	cases,
	committeeMembers,
	committees,
	orgNodes
} from '../db/schema.ts';

export type CaseRow = typeof cases.$inferSelect;

/** The org paths of the committees the user sits on: a committee sees its cases and its children's. */
export async function committeePathsOf(db: Db, userId: string): Promise<string[]> {
	const rows = await db
		.select({ path: orgNodes.path })
		.from(committeeMembers)
		.innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
		.innerJoin(orgNodes, eq(orgNodes.id, committees.orgNodeId))
		.where(eq(committeeMembers.userId, userId));
	return rows.map((r) => r.path);
}

const underAny = (paths: string[]): SQL | undefined =>
	paths.length ? or(...paths.map((path) => like(cases.committeePath, `${path}%`))) : undefined;

/**
 * The condition on `cases` that selects what the actor may see:
 * admins their subtree, mediators their committee's cases and its children's
 * plus any they are assigned to, grid workers what they reported, legal
 * experts what they are invited to, parties their own.
 */
export async function visibleCases(db: Db, actor: Actor): Promise<SQL> {
	const nothing = sql`false`;
	switch (actor.role) {
		case 'admin': {
			if (!actor.orgNodeId) return nothing;
			const [root] = await db.select({ path: orgNodes.path }).from(orgNodes).where(eq(orgNodes.id, actor.orgNodeId));
			return root ? like(cases.committeePath, `${root.path}%`) : nothing;
		}
		case 'mediator': {
			// Checked case by case against the key; `offset 0` keeps the planner from first collecting
			// all of a busy mediator's assignments (tens of thousands) for every page.
			const assigned = sql`exists (select from ${caseMediators} where ${caseMediators.caseId} = ${cases.id} and ${caseMediators.userId} = ${actor.id} offset 0)`;
			return or(underAny(await committeePathsOf(db, actor.id)), assigned)!;
		}
		case 'grid_worker':
			return eq(cases.reporterId, actor.id);
		case 'legal_expert':
			return inArray(
				cases.id,
				db.select({ id: caseExperts.caseId }).from(caseExperts).where(eq(caseExperts.userId, actor.id))
			);
		case 'party':
			return inArray(
				cases.id,
				db.select({ id: caseParties.caseId }).from(caseParties).where(eq(caseParties.userId, actor.id))
			);
	}
}

/**
 * The case, if the actor may see it. A case they may not see is reported as
 * missing, so its existence leaks to nobody. In a transaction, `lock` holds
 * the row until commit so that concurrent changes queue up.
 */
export async function findVisibleCase(db: Db, actor: Actor, caseId: string, lock = false): Promise<CaseRow> {
	const query = db
		.select()
		.from(cases)
		.where(and(eq(cases.id, caseId), await visibleCases(db, actor)));
	const [row] = lock ? await query.for('no key update') : await query;
	if (!row) throw new AppError('NOT_FOUND');
	return row;
}
