import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { performanceItemIdSchema } from '#shared/performance.ts';
import type { Actor } from '#shared/roles.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { performanceItems, performancePlans, performanceProofs } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { parseInput } from '../parse-input.ts';
import { resolveItemWarnings } from './performance-warnings.ts';
import { caseKeptBy, lockedItem } from './plan-access.ts';
import { settlePlan } from './settle-plan.ts';

/**
 * A mediator of the case takes an item typed by mistake out of the plan, while nobody has acted on
 * it: still planned, never reported, without proof, in a plan not yet performed. The audit log
 * keeps what it said. Otherwise refused (INVALID_TRANSITION): a settled matter is waived, not erased.
 */
export async function removePerformanceItem(
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<void> {
	const { caseId, itemId } = parseInput(performanceItemIdSchema, input);
	await caseKeptBy(app.db, actor, caseId);
	const performedAt = await app.db.transaction(async (tx) => {
		await caseKeptBy(tx, actor, caseId, true);
		const item = await lockedItem(tx, caseId, itemId);
		const [plan] = await tx.select().from(performancePlans).where(eq(performancePlans.caseId, caseId));
		const proofs = await tx.$count(performanceProofs, eq(performanceProofs.itemId, itemId));
		if (item.state !== 'planned' || item.reportedAt || proofs > 0 || plan.performedAt)
			throw new AppError('INVALID_TRANSITION');
		await resolveItemWarnings(tx, itemId, { actorId: actor.id, ip, note: '履行事项已从计划中删除' });
		await tx.delete(performanceItems).where(eq(performanceItems.id, itemId));
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: 'performance.item_removed',
			data: { itemId, position: item.position, description: item.description, dueOn: item.dueOn },
			ip
		});
		return settlePlan(tx, caseId, { actorId: actor.id, ip }, now);
	});
	if (performedAt) await app.events.emit('performance.performed', { caseId, performedAt });
}
