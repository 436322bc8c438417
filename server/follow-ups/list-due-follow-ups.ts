import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { addDays, dayOf, daysBetween, DUE_SOON_DAYS } from '#shared/follow-ups.ts';
import type { Actor } from '#shared/roles.ts';
import { visibleCases } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, caseParties, cases, followUps } from '../db/schema.ts';

/** How many follow-ups the work list shows at most, the most overdue first. */
const WORK_LIST_LIMIT = 50;

export type DueFollowUp = {
	followUpId: string;
	caseId: string;
	caseNumber: string;
	parties: string;
	seq: number;
	dueOn: string;
	/** Days past due; negative while it is only due soon. */
	daysOverdue: number;
};

/**
 * The follow-ups overdue or due within `DUE_SOON_DAYS` among the cases the actor mediates (for a
 * mediator: those assigned to them; for others who see cases as a committee: all they see), most
 * overdue first.
 */
export async function listDueFollowUps(db: Db, actor: Actor, now = new Date()): Promise<DueFollowUp[]> {
	const today = dayOf(now);
	const mine =
		actor.role === 'mediator'
			? sql`exists (select from ${caseMediators} where ${caseMediators.caseId} = ${cases.id} and ${caseMediators.userId} = ${actor.id})`
			: await visibleCases(db, actor);
	const rows = await db
		.select({
			followUpId: followUps.id,
			caseId: cases.id,
			caseNumber: cases.number,
			parties: sql<string>`(select string_agg(${caseParties.name}, '、' order by ${caseParties.side}, ${caseParties.createdAt}) from ${caseParties} where ${caseParties.caseId} = ${cases.id})`,
			seq: followUps.seq,
			dueOn: followUps.dueOn
		})
		.from(followUps)
		.innerJoin(cases, eq(cases.id, followUps.caseId))
		.where(and(isNull(followUps.recordedAt), lte(followUps.dueOn, addDays(today, DUE_SOON_DAYS)), mine))
		.orderBy(asc(followUps.dueOn), asc(cases.number))
		.limit(WORK_LIST_LIMIT);
	return rows.map((row) => ({ ...row, parties: row.parties ?? '', daysOverdue: daysBetween(row.dueOn, today) }));
}
