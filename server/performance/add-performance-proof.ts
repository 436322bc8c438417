import { AppError } from '#shared/errors.ts';
import { performanceItemIdSchema } from '#shared/performance.ts';
import type { Actor } from '#shared/roles.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { parseInput } from '../parse-input.ts';
import { caseKeptBy, lockedItem } from './plan-access.ts';
import { readProofUploads, storeProofs } from './store-proofs.ts';

/**
 * A mediator of the case adds proof to an item, in any state: a paper receipt photographed in the
 * office, a bank slip the party brought. Refused, changing nothing: no file, bad files or past
 * the cap (VALIDATION), an item of another case (NOT_FOUND), someone not mediating it (FORBIDDEN).
 */
export async function addPerformanceProof(
	app: { db: Db },
	actor: Actor,
	input: unknown,
	files: File[],
	ip: string | null
): Promise<void> {
	const { caseId, itemId } = parseInput(performanceItemIdSchema, input);
	await caseKeptBy(app.db, actor, caseId);
	const uploads = await readProofUploads(files);
	if (!uploads.length) throw new AppError('VALIDATION', { fields: { proof: ['required'] } });
	await app.db.transaction(async (tx) => {
		await caseKeptBy(tx, actor, caseId, true);
		const item = await lockedItem(tx, caseId, itemId);
		const proofs = await storeProofs(tx, item, uploads, { userId: actor.id });
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: 'performance.proof_added',
			data: { itemId, position: item.position, description: item.description, proofs },
			ip
		});
	});
}
