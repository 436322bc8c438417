import { and, eq, isNotNull } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import {
	dayOf,
	followUpAnswerSchema,
	followUpState,
	openToAnswers,
	type FollowUpState,
	type FollowUpPerformance
} from '#shared/follow-ups.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { findTrackedParty } from '../cases/track-case.ts';
import type { Db } from '../db/client.ts';
import { followUpAnswers, followUps } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { parseInput } from '../parse-input.ts';
import { openFollowUp } from './open-follow-up.ts';

export type TrackedFollowUp = {
	/** The case's open follow-up, if it has one. */
	followUp: { id: string; seq: number; dueOn: string; state: FollowUpState; answerable: boolean } | null;
	answer: {
		performance: FollowUpPerformance;
		satisfaction: number;
		stillInDispute: boolean;
		comment: string | null;
		updatedAt: Date;
	} | null;
	/** Visits made so far. */
	recorded: number;
};

/** The follow-up as the party sees it on their tracking page: when the committee will call, and their answer. */
export async function getTrackedFollowUp(db: Db, token: string, now = new Date()): Promise<TrackedFollowUp> {
	const { party, caseRow } = await findTrackedParty(db, token);
	const [open, recorded] = await Promise.all([
		openFollowUp(db, caseRow.id),
		db.$count(followUps, and(eq(followUps.caseId, caseRow.id), isNotNull(followUps.recordedAt)))
	]);
	if (!open) return { followUp: null, answer: null, recorded };
	const state = followUpState(open.dueOn, false, dayOf(now));
	const [answer] = await db
		.select({
			performance: followUpAnswers.performance,
			satisfaction: followUpAnswers.satisfaction,
			stillInDispute: followUpAnswers.stillInDispute,
			comment: followUpAnswers.comment,
			updatedAt: followUpAnswers.updatedAt
		})
		.from(followUpAnswers)
		.where(and(eq(followUpAnswers.followUpId, open.id), eq(followUpAnswers.partyId, party.id)));
	return {
		followUp: { ...open, state, answerable: openToAnswers(state) },
		answer: answer ?? null,
		recorded
	};
}

/**
 * A party answers the case's due follow-up through their tracking link: has the agreement been
 * performed, are they satisfied, is anything still in dispute, in their words (capped). One
 * answer per party and follow-up, which they may correct until the visit is recorded; the
 * mediator sees it on the case page and the record prints it. Refused: an unknown link
 * (NOT_FOUND), bad fields (VALIDATION), no follow-up due now (CONFLICT).
 */
export async function answerFollowUp(
	app: { db: Db; events: DomainEvents },
	token: string,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<{ followUpId: string; corrected: boolean }> {
	const fields = parseInput(followUpAnswerSchema, input);
	const saved = await app.db.transaction(async (tx) => {
		// The case row is locked: a record being stored waits, or this waits for it.
		const { party, caseRow } = await findTrackedParty(tx, token, true);
		const open = await openFollowUp(tx, caseRow.id);
		if (!open || !openToAnswers(followUpState(open.dueOn, false, dayOf(now)))) throw new AppError('CONFLICT');
		const values = {
			performance: fields.performance,
			satisfaction: fields.satisfaction,
			stillInDispute: fields.stillInDispute,
			comment: fields.comment ?? null,
			updatedAt: now
		};
		const [row] = await tx
			.insert(followUpAnswers)
			.values({ followUpId: open.id, partyId: party.id, answeredAt: now, ...values })
			.onConflictDoUpdate({ target: [followUpAnswers.followUpId, followUpAnswers.partyId], set: values })
			.returning({ answeredAt: followUpAnswers.answeredAt });
		const corrected = row.answeredAt.getTime() !== now.getTime();
		await recordCaseEvent(tx, {
			caseId: caseRow.id,
			actorLabel: party.name,
			action: corrected ? 'follow_up.answer_corrected' : 'follow_up.answered',
			data: {
				followUpId: open.id,
				performance: fields.performance,
				satisfaction: fields.satisfaction,
				stillInDispute: fields.stillInDispute
			},
			ip
		});
		return { followUpId: open.id, caseId: caseRow.id, partyId: party.id, corrected };
	});
	await app.events.emit('follow_up.answered', {
		caseId: saved.caseId,
		followUpId: saved.followUpId,
		partyId: saved.partyId
	});
	return { followUpId: saved.followUpId, corrected: saved.corrected };
}
