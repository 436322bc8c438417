import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { canMove, PERFORMANCE_MOVES, performanceMoveSchema } from '#shared/performance.ts';
import type { Actor } from '#shared/roles.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { performanceItems } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { parseInput } from '../parse-input.ts';
import { announcePerformance } from './announce-performance.ts';
import { resolveItemWarnings } from './performance-warnings.ts';
import { caseKeptBy, lockedItem } from './plan-access.ts';
import { settlePlan } from './settle-plan.ts';

const EVENTS = {
	confirm: 'performance.item_confirmed',
	reject: 'performance.item_rejected',
	waive: 'performance.item_waived'
} as const;

/** What the overdue warning's log says when the item is settled. */
const SETTLED_NOTE = { confirm: '履行事项已确认', waive: '履行事项经当事人协商免除', reject: '' } as const;

/**
 * A mediator of the case moves an item as `PERFORMANCE_MOVES` allows: confirms it (reported, or
 * done before them in the office), sends a report back to the party with a reason, or records
 * that the parties agreed to waive it, with a reason. Confirming or waiving resolves the item's
 * overdue warning, and the last one settled makes the agreement performed. Refused, changing
 * nothing: a move the item's state does not allow (INVALID_TRANSITION), an item of another case
 * (NOT_FOUND), someone not mediating the case (FORBIDDEN).
 */
export async function movePerformanceItem(
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<{ performedAt: Date | null }> {
	const { caseId, itemId, move, reason } = parseInput(performanceMoveSchema, input);
	await caseKeptBy(app.db, actor, caseId);
	const rule = PERFORMANCE_MOVES[move];
	const performedAt = await app.db.transaction(async (tx) => {
		await caseKeptBy(tx, actor, caseId, true);
		const item = await lockedItem(tx, caseId, itemId);
		if (!canMove(item.state, move)) throw new AppError('INVALID_TRANSITION');
		const settles = move !== 'reject';
		await tx
			.update(performanceItems)
			.set({
				state: rule.to,
				reason: rule.reason ? reason : null,
				...(settles ? { settledAt: now, settledById: actor.id } : {})
			})
			.where(eq(performanceItems.id, itemId));
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: EVENTS[move],
			data: { itemId, position: item.position, description: item.description, from: item.state, reason },
			ip
		});
		if (!settles) return null;
		await resolveItemWarnings(tx, itemId, { actorId: actor.id, ip, note: SETTLED_NOTE[move] });
		return settlePlan(tx, caseId, { actorId: actor.id, ip }, now);
	});
	if (move === 'reject') {
		await app.events.emit('performance.item_rejected', { caseId, itemId });
		await announcePerformance(app, now, caseId);
	}
	if (performedAt) await app.events.emit('performance.performed', { caseId, performedAt });
	return { performedAt };
}
