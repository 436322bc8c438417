import { sql } from 'drizzle-orm';
import { DUE_SOON_DAYS } from '#shared/performance.ts';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows-of.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { raiseOverdueItems } from './performance-warnings.ts';
import { addDays, dayOf } from './plan-access.ts';

/**
 * Tells the process which items fall due soon and which went overdue (raising their warnings),
 * each once per due day: from the periodic sweep for all cases, and right after a change for the
 * case changed (an item added already late, a report sent back after its day). Returns how many.
 */
export async function announcePerformance(
	app: { db: Db; events: DomainEvents },
	now: Date,
	caseId?: string
): Promise<number> {
	const today = dayOf(now);
	const dueSoon = await rowsOf<{ caseId: string; itemId: string; dueOn: string }>(
		app.db,
		sql`
		update performance_items set due_soon_announced_for = due_on
		where state = 'planned' and due_on between ${today}::date and ${addDays(today, DUE_SOON_DAYS)}::date
			and due_soon_announced_for is distinct from due_on
			${caseId ? sql`and case_id = ${caseId}` : sql``}
		returning case_id as "caseId", id as "itemId", to_char(due_on, 'YYYY-MM-DD') as "dueOn"`
	);
	const overdue = await raiseOverdueItems(app.db, now, caseId);
	for (const item of dueSoon) await app.events.emit('performance.item_due_soon', item);
	for (const item of overdue) await app.events.emit('performance.item_overdue', item);
	return dueSoon.length + overdue.length;
}
