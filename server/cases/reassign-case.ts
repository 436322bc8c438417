import { eq } from 'drizzle-orm';
import { OPEN_STATUSES } from '#shared/cases.ts';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { reassignCaseSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, cases } from '../db/schema.ts';
import { scopeRoot } from '../orgs/subtree.ts';
import { parseInput } from '../parse-input.ts';
import { findVisibleCase } from './case-scope.ts';
import { committeeById } from './route-case.ts';

/**
 * An admin hands an open case to another committee of their subtree, such as
 * a third-party mediation body. The new committee assigns its own mediators.
 */
export async function reassignCase(app: { db: Db }, actor: Actor, input: unknown, ip: string | null): Promise<void> {
	authorize(actor, 'cases:route');
	const { caseId, committeeId, reason } = parseInput(reassignCaseSchema, input);
	const root = await scopeRoot(app.db, actor);
	const target = await committeeById(app.db, committeeId);
	if (!target || !target.path.startsWith(root.path))
		throw new AppError('VALIDATION', { fields: { committeeId: ['invalid'] } });
	await app.db.transaction(async (tx) => {
		const row = await findVisibleCase(tx, actor, caseId, true);
		if (!OPEN_STATUSES.includes(row.status)) throw new AppError('INVALID_TRANSITION');
		if (row.committeeId === target.id) throw new AppError('VALIDATION', { fields: { committeeId: ['invalid'] } });
		await tx.delete(caseMediators).where(eq(caseMediators.caseId, caseId));
		await tx
			.update(cases)
			.set({ committeeId: target.id, committeePath: target.path, updatedAt: new Date() })
			.where(eq(cases.id, caseId));
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: 'case.reassigned',
			data: { fromCommitteeId: row.committeeId, toCommitteeId: target.id, reason },
			ip
		});
	});
}
