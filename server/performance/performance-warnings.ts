import { and, eq, like, ne, sql } from 'drizzle-orm';
import { recordWarningEvent } from '../audit/record-warning-event.ts';
import type { Db } from '../db/client.ts';
import { rowsOf } from '../db/rows-of.ts';
import { warnings } from '../db/schema.ts';
import { dayOf } from './plan-access.ts';

export type OverdueItem = { caseId: string; itemId: string; dueOn: string };

/**
 * Raises a `performance_overdue` warning for each item still planned past its due day (of one
 * case, when given), one per item and due day; set-based, through the partial index on what is
 * still owed. A reported item waits for the mediator, not the party, so it does not warn. Returns
 * the items newly overdue.
 */
export async function raiseOverdueItems(db: Db, now: Date, caseId?: string): Promise<OverdueItem[]> {
	return rowsOf<OverdueItem>(
		db,
		sql`
		insert into warnings (rule, subject_key, severity, org_path, case_id, village_id, details)
		select 'performance_overdue'::warning_rule, i.id || '@' || i.due_on, 'medium'::warning_severity,
			c.committee_path, c.id, c.village_id,
			jsonb_build_object('number', c.number, 'itemId', i.id, 'description', left(i.description, 100),
				'amountCents', i.amount_cents, 'dueOn', i.due_on, 'party', p.name)
		from performance_items i
		join cases c on c.id = i.case_id
		join case_parties p on p.id = i.responsible_party_id
		where i.state = 'planned' and i.due_on < ${dayOf(now)}::date
			${caseId ? sql`and i.case_id = ${caseId}` : sql``}
		on conflict (rule, subject_key) do nothing
		returning case_id as "caseId", details->>'itemId' as "itemId", details->>'dueOn' as "dueOn"`
	);
}

/**
 * Resolves the item's open overdue warnings in the caller's transaction, in each warning's own
 * log, by the mediator who settled (or removed) the item.
 */
export async function resolveItemWarnings(
	tx: Db,
	itemId: string,
	by: { actorId: string; ip: string | null; note: string }
): Promise<void> {
	const open = await tx
		.select({ id: warnings.id })
		.from(warnings)
		.where(
			and(
				eq(warnings.rule, 'performance_overdue'),
				like(warnings.subjectKey, `${itemId}@%`),
				ne(warnings.status, 'resolved')
			)
		)
		.for('update');
	for (const { id } of open) {
		await tx.update(warnings).set({ status: 'resolved', updatedAt: new Date() }).where(eq(warnings.id, id));
		await recordWarningEvent(tx, {
			warningId: id,
			actorId: by.actorId,
			action: 'warning.resolved',
			data: { note: by.note },
			ip: by.ip
		});
	}
}
