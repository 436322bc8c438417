import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { caseParties, followUpAnswers, followUps } from '../db/schema.ts';

/** The case's follow-up not yet recorded (there is at most one), or null. */
export async function openFollowUp(db: Db, caseId: string) {
	const [open] = await db
		.select({ id: followUps.id, seq: followUps.seq, dueOn: followUps.dueOn })
		.from(followUps)
		.where(and(eq(followUps.caseId, caseId), isNull(followUps.recordedAt)));
	return open ?? null;
}

/** The parties' answers to a follow-up, in the order of the parties. */
export function answersTo(db: Db, followUpId: string) {
	return db
		.select({
			partyId: followUpAnswers.partyId,
			party: caseParties.name,
			performance: followUpAnswers.performance,
			satisfaction: followUpAnswers.satisfaction,
			stillInDispute: followUpAnswers.stillInDispute,
			comment: followUpAnswers.comment
		})
		.from(followUpAnswers)
		.innerJoin(caseParties, eq(caseParties.id, followUpAnswers.partyId))
		.where(eq(followUpAnswers.followUpId, followUpId))
		.orderBy(asc(caseParties.side), asc(caseParties.createdAt));
}

export type FollowUpAnswer = Awaited<ReturnType<typeof answersTo>>[number];
