import { and, eq, inArray } from 'drizzle-orm';
import { OPEN_STATUSES } from '#shared/cases.ts';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { assignMediatorsSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, committeeMembers, users } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { findVisibleCase } from './case-scope.ts';

/** Sets who mediates an open case: active mediators of the committee handling it. */
export async function assignMediators(app: { db: Db }, actor: Actor, input: unknown, ip: string | null): Promise<void> {
	authorize(actor, 'cases:assign');
	const { caseId, mediatorIds } = parseInput(assignMediatorsSchema, input);
	const wanted = [...new Set(mediatorIds)];
	await app.db.transaction(async (tx) => {
		const row = await findVisibleCase(tx, actor, caseId, true);
		if (!OPEN_STATUSES.includes(row.status)) throw new AppError('INVALID_TRANSITION');
		const eligible = await tx
			.select({ id: users.id })
			.from(users)
			.innerJoin(committeeMembers, eq(committeeMembers.userId, users.id))
			.where(
				and(
					inArray(users.id, wanted),
					eq(users.role, 'mediator'),
					eq(users.active, true),
					eq(committeeMembers.committeeId, row.committeeId)
				)
			);
		if (eligible.length !== wanted.length) throw new AppError('VALIDATION', { fields: { mediatorIds: ['invalid'] } });
		const before = await tx
			.select({ id: caseMediators.userId })
			.from(caseMediators)
			.where(eq(caseMediators.caseId, caseId));
		await tx.delete(caseMediators).where(eq(caseMediators.caseId, caseId));
		await tx.insert(caseMediators).values(wanted.map((userId) => ({ caseId, userId })));
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: 'case.mediators_assigned',
			data: { from: before.map((b) => b.id).sort(), to: [...wanted].sort() },
			ip
		});
	});
}
