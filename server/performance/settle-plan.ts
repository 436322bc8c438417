import { and, eq, isNull } from 'drizzle-orm';
import { SETTLED_STATES } from '#shared/performance.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { performanceItems, performancePlans } from '../db/schema.ts';

/**
 * Marks the plan performed (履行完毕) when every one of its items is confirmed or waived, with its
 * audit event, in the caller's transaction. Returns the time when it just became performed.
 */
export async function settlePlan(
	tx: Db,
	caseId: string,
	by: { actorId: string; ip: string | null },
	now: Date
): Promise<Date | null> {
	const items = await tx
		.select({ state: performanceItems.state })
		.from(performanceItems)
		.where(eq(performanceItems.caseId, caseId));
	if (!items.length || !items.every((item) => SETTLED_STATES.includes(item.state))) return null;
	const [performed] = await tx
		.update(performancePlans)
		.set({ performedAt: now })
		.where(and(eq(performancePlans.caseId, caseId), isNull(performancePlans.performedAt)))
		.returning({ caseId: performancePlans.caseId });
	if (!performed) return null;
	await recordCaseEvent(tx, {
		caseId,
		actorId: by.actorId,
		action: 'performance.performed',
		data: {
			items: items.length,
			waived: items.filter((item) => item.state === 'waived').length
		},
		ip: by.ip
	});
	return now;
}
