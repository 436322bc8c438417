import { asc, eq, inArray } from 'drizzle-orm';
import {
	dayOf,
	daysBetween,
	followUpState,
	type FollowUpBasis,
	type FollowUpMethod,
	type FollowUpState,
	type FollowUpPerformance
} from '#shared/follow-ups.ts';
import { seesAsCommittee } from '#shared/permissions.ts';
import type { Actor } from '#shared/roles.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseParties, followUpAnswers, followUps, users } from '../db/schema.ts';
import { agreementInForce } from './agreement-in-force.ts';
import { followUpVisitors } from './follow-up-visitors.ts';

export type PartyAnswerView = {
	party: string;
	performance: FollowUpPerformance;
	satisfaction: number;
	stillInDispute: boolean;
	comment: string | null;
	answeredAt: Date;
	updatedAt: Date;
};

export type FollowUpView = {
	id: string;
	seq: number;
	basis: FollowUpBasis;
	dueOn: string;
	state: FollowUpState;
	/** Days past due (positive) or ahead (negative), for one not recorded yet. */
	daysOverdue: number;
	record: {
		documentId: string;
		visitedOn: string;
		method: FollowUpMethod;
		place: string | null;
		visitors: string[];
		performance: FollowUpPerformance;
		satisfaction: number;
		lawsuit: boolean;
		risks: string | null;
	} | null;
	answers: PartyAnswerView[];
};

export type CaseFollowUps = {
	/** The day the agreement took effect; null: no agreement, no follow-ups. */
	tookEffectOn: string | null;
	followUps: FollowUpView[];
	/** Whether the actor may record a visit or set the next one. */
	mayVisit: boolean;
};

/**
 * A case's follow-ups as its page shows them: each with its state, its record once made, and (to
 * the committee) the parties' answers. Nothing for a case the actor may not see (NOT_FOUND).
 */
export async function listCaseFollowUps(
	db: Db,
	actor: Actor,
	caseId: string,
	now = new Date()
): Promise<CaseFollowUps> {
	await findVisibleCase(db, actor, caseId);
	const agreement = await agreementInForce(db, caseId);
	if (!agreement) return { tookEffectOn: null, followUps: [], mayVisit: false };
	const [rows, visitors] = await Promise.all([
		db.select().from(followUps).where(eq(followUps.caseId, caseId)).orderBy(asc(followUps.seq)),
		followUpVisitors(db, caseId)
	]);
	const names = new Map(
		(
			await db
				.select({ id: users.id, name: users.displayName })
				.from(users)
				.where(inArray(users.id, [...new Set(rows.flatMap((row) => row.visitorIds ?? []))].concat(actor.id)))
		).map((user) => [user.id, user.name])
	);
	const answers =
		seesAsCommittee(actor) && rows.length
			? await db
					.select({
						followUpId: followUpAnswers.followUpId,
						party: caseParties.name,
						performance: followUpAnswers.performance,
						satisfaction: followUpAnswers.satisfaction,
						stillInDispute: followUpAnswers.stillInDispute,
						comment: followUpAnswers.comment,
						answeredAt: followUpAnswers.answeredAt,
						updatedAt: followUpAnswers.updatedAt
					})
					.from(followUpAnswers)
					.innerJoin(caseParties, eq(caseParties.id, followUpAnswers.partyId))
					.where(
						inArray(
							followUpAnswers.followUpId,
							rows.map((row) => row.id)
						)
					)
					.orderBy(asc(caseParties.side), asc(caseParties.createdAt))
			: [];
	const today = dayOf(now);
	return {
		tookEffectOn: agreement.tookEffectOn,
		mayVisit: visitors.some((person) => person.id === actor.id),
		followUps: rows.map((row) => ({
			id: row.id,
			seq: row.seq,
			basis: row.basis,
			dueOn: row.dueOn,
			state: followUpState(row.dueOn, row.recordedAt !== null, today),
			daysOverdue: daysBetween(row.dueOn, today),
			record:
				row.documentId && row.visitedOn && row.method && row.performance && row.satisfaction !== null
					? {
							documentId: row.documentId,
							visitedOn: row.visitedOn,
							method: row.method,
							place: row.place,
							visitors: (row.visitorIds ?? []).map((id) => names.get(id) ?? '—'),
							performance: row.performance,
							satisfaction: row.satisfaction,
							lawsuit: row.lawsuit ?? false,
							risks: row.risks
						}
					: null,
			answers: answers
				.filter((answer) => answer.followUpId === row.id)
				.map(({ followUpId: _followUpId, ...answer }) => answer)
		}))
	};
}
