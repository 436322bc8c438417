import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { agreementDrafts } from '../db/schema.ts';
import type { DraftActor } from './draft-role.ts';

/**
 * The mediator lets the parties write the draft themselves, not only comment and suggest, or
 * takes that back. A change is recorded in the case's audit log with it; setting what is already
 * set changes nothing and records nothing.
 */
export async function setPartiesMayEdit(db: Db, draftId: string, allowed: boolean, by: DraftActor): Promise<void> {
	await db.transaction(async (tx) => {
		// The draft's row before the case's, as freezing takes them.
		const [draft] = await tx
			.select({ caseId: agreementDrafts.caseId, partiesMayEdit: agreementDrafts.partiesMayEdit })
			.from(agreementDrafts)
			.where(eq(agreementDrafts.id, draftId))
			.for('no key update');
		if (!draft) throw new AppError('NOT_FOUND');
		if (draft.partiesMayEdit === allowed) return;
		await tx.update(agreementDrafts).set({ partiesMayEdit: allowed }).where(eq(agreementDrafts.id, draftId));
		await recordCaseEvent(tx, {
			caseId: draft.caseId,
			actorId: by.userId,
			actorLabel: by.author.name,
			action: 'agreement.parties_may_edit',
			data: { draftId, allowed },
			ip: by.ip
		});
	});
}
