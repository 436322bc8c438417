import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { RecordOutcome } from '#shared/mediation-record.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { agreementDrafts } from '../db/schema.ts';
import type { DraftActor } from './draft-role.ts';

/**
 * The mediator sets how the session ended, as its record will say: agreed, adjourned, or failed
 * with the reason and what the parties may do next. Only on a record, and only while nothing is
 * frozen: what is signed is the result as it was when frozen. Recorded in the case's audit log.
 */
export async function setRecordOutcome(db: Db, draftId: string, outcome: RecordOutcome, by: DraftActor): Promise<void> {
	await db.transaction(async (tx) => {
		const [draft] = await tx
			.select({
				caseId: agreementDrafts.caseId,
				kind: agreementDrafts.kind,
				sessionId: agreementDrafts.sessionId,
				frozenVersionId: agreementDrafts.frozenVersionId
			})
			.from(agreementDrafts)
			.where(eq(agreementDrafts.id, draftId))
			.for('no key update');
		if (!draft) throw new AppError('NOT_FOUND');
		if (draft.kind !== 'mediation_record') throw new AppError('CONFLICT');
		if (draft.frozenVersionId) throw new AppError('CONFLICT', { fields: { outcome: ['frozen'] } });
		await tx.update(agreementDrafts).set({ recordOutcome: outcome }).where(eq(agreementDrafts.id, draftId));
		await recordCaseEvent(tx, {
			caseId: draft.caseId,
			actorId: by.userId,
			actorLabel: by.author.name,
			action: 'record.outcome_set',
			data: { draftId, sessionId: draft.sessionId, ...outcome },
			ip: by.ip
		});
	});
}
