import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { satisfactionSchema } from '#shared/statistics.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { satisfactionSurveys } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { findTrackedParty } from './track-case.ts';

export type TrackedSurvey = {
	/** The survey is offered once the mediation has ended (resolved, failed, withdrawn or rejected). */
	offered: boolean;
	answer: { score: number; comment: string | null } | null;
};

/** The satisfaction survey as the party sees it on their tracking page. */
export async function getTrackedSurvey(db: Db, token: string): Promise<TrackedSurvey> {
	const { party, caseRow } = await findTrackedParty(db, token);
	const [answer] = await db
		.select({ score: satisfactionSurveys.score, comment: satisfactionSurveys.comment })
		.from(satisfactionSurveys)
		.where(eq(satisfactionSurveys.partyId, party.id));
	return { offered: caseRow.outcome !== null, answer: answer ?? null };
}

/**
 * A party rates the mediation through their tracking link, once, after it
 * has ended. The answer counts in the assessment of the committee and the
 * mediators, and the case's audit log records that (and how) they answered.
 */
export async function answerSurvey(app: { db: Db }, token: string, input: unknown, ip: string | null): Promise<void> {
	const { score, comment } = parseInput(satisfactionSchema, input);
	await app.db.transaction(async (tx) => {
		const { party, caseRow } = await findTrackedParty(tx, token, true);
		if (caseRow.outcome === null) throw new AppError('CONFLICT');
		const [saved] = await tx
			.insert(satisfactionSurveys)
			.values({ partyId: party.id, caseId: caseRow.id, score, comment: comment ?? null })
			.onConflictDoNothing()
			.returning({ partyId: satisfactionSurveys.partyId });
		if (!saved) throw new AppError('CONFLICT');
		await recordCaseEvent(tx, {
			caseId: caseRow.id,
			actorLabel: party.name,
			action: 'survey.answered',
			data: { score },
			ip
		});
	});
}
