import { and, count, eq, max } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { MAX_PERFORMANCE_ITEMS, performanceItemSchema } from '#shared/performance.ts';
import type { Actor } from '#shared/roles.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { caseParties, performanceItems, performancePlans } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { parseInput } from '../parse-input.ts';
import { announcePerformance } from './announce-performance.ts';
import { addDays, agreementOfRecord, caseKeptBy, dayOf } from './plan-access.ts';

/** How far ahead an item may fall due: long instalment plans, not typing slips. */
const LATEST_DUE_YEARS = 20;

/**
 * A mediator of the case adds an item to the performance plan of its agreement; the first item
 * makes the plan, which names the agreement it performs. Refused, changing nothing: bad fields
 * or a party of another case (VALIDATION), no sealed or oral agreement yet (INVALID_TRANSITION),
 * someone not mediating the case (FORBIDDEN).
 */
export async function addPerformanceItem(
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<{ itemId: string }> {
	const fields = parseInput(performanceItemSchema, input);
	await caseKeptBy(app.db, actor, fields.caseId);
	const itemId = await app.db.transaction(async (tx) => {
		const row = await caseKeptBy(tx, actor, fields.caseId, true);
		const agreement = await agreementOfRecord(tx, row.id);
		if (!agreement) throw new AppError('INVALID_TRANSITION');
		const [party] = await tx
			.select({ name: caseParties.name })
			.from(caseParties)
			.where(and(eq(caseParties.id, fields.responsiblePartyId), eq(caseParties.caseId, row.id)));
		if (!party) throw new AppError('VALIDATION', { fields: { responsiblePartyId: ['invalid'] } });
		if (fields.dueOn < dayOf(row.createdAt) || fields.dueOn > addDays(dayOf(now), LATEST_DUE_YEARS * 366))
			throw new AppError('VALIDATION', { fields: { dueOn: ['invalid'] } });

		const [plan] = await tx.select().from(performancePlans).where(eq(performancePlans.caseId, row.id));
		// A corrected agreement supersedes the one before: the plan follows the one in force. An item
		// added to a plan already performed (the first instalment confirmed before the second was
		// entered) reopens it, in the audit log.
		if (plan)
			await tx
				.update(performancePlans)
				.set({ ...agreement, performedAt: null })
				.where(eq(performancePlans.caseId, row.id));
		else await tx.insert(performancePlans).values({ caseId: row.id, ...agreement, createdById: actor.id });
		if (plan?.performedAt)
			await recordCaseEvent(tx, {
				caseId: row.id,
				actorId: actor.id,
				action: 'performance.reopened',
				data: { performedAt: plan.performedAt.toISOString() },
				ip
			});

		const [{ items, last }] = await tx
			.select({ items: count(), last: max(performanceItems.position) })
			.from(performanceItems)
			.where(eq(performanceItems.caseId, row.id));
		if (items >= MAX_PERFORMANCE_ITEMS) throw new AppError('VALIDATION', { fields: { plan: ['too_many'] } });
		const position = (last ?? 0) + 1;
		const { caseId: _, amount, ...described } = fields;
		const [item] = await tx
			.insert(performanceItems)
			.values({ caseId: row.id, position, ...described, amountCents: amount, createdById: actor.id })
			.returning({ id: performanceItems.id });
		await recordCaseEvent(tx, {
			caseId: row.id,
			actorId: actor.id,
			action: 'performance.item_added',
			data: { itemId: item.id, position, ...described, amountCents: amount, responsible: party.name },
			ip
		});
		return item.id;
	});
	await announcePerformance(app, now, fields.caseId);
	return { itemId };
}
