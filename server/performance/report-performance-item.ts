import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { canMove, performanceReportSchema } from '#shared/performance.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { findTrackedParty } from '../cases/track-case.ts';
import type { Db } from '../db/client.ts';
import { performanceItems } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { parseInput } from '../parse-input.ts';
import { lockedItem } from './plan-access.ts';
import { readProofUploads, storeProofs } from './store-proofs.ts';

/**
 * A party says, through their tracking link, that an item of their case's plan is done: with
 * proof (a receipt, a transfer screenshot) and a note. A payment needs a proof file; an act may
 * be told in the note alone. The item waits for a mediator to confirm it. Refused, changing
 * nothing: bad files or no proof (VALIDATION), an item not open to a report (INVALID_TRANSITION),
 * an item of another case or an unknown link (NOT_FOUND).
 */
export async function reportPerformanceItem(
	app: { db: Db; events: DomainEvents },
	token: string,
	input: unknown,
	files: File[],
	ip: string | null,
	now = new Date()
): Promise<void> {
	const { party } = await findTrackedParty(app.db, token);
	const { itemId, note } = parseInput(performanceReportSchema, input);
	const uploads = await readProofUploads(files);
	const caseId = party.caseId;
	await app.db.transaction(async (tx) => {
		await findTrackedParty(tx, token, true);
		const item = await lockedItem(tx, caseId, itemId);
		if (!canMove(item.state, 'report')) throw new AppError('INVALID_TRANSITION');
		if (!uploads.length && (item.kind === 'payment' || !note))
			throw new AppError('VALIDATION', { fields: { proof: ['required'] } });
		const proofs = await storeProofs(tx, item, uploads, { partyId: party.id });
		await tx
			.update(performanceItems)
			.set({ state: 'reported', reportNote: note, reportedAt: now, reportedByPartyId: party.id, reason: null })
			.where(eq(performanceItems.id, item.id));
		await recordCaseEvent(tx, {
			caseId,
			actorLabel: party.name,
			action: 'performance.item_reported',
			data: { itemId, position: item.position, description: item.description, note, proofs },
			ip
		});
	});
	await app.events.emit('performance.item_reported', { caseId, itemId, partyId: party.id });
}
