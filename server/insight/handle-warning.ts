import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { warningAssignSchema, warningIdSchema, warningResolveSchema, type WarningStatus } from '#shared/warnings.ts';
import { recordWarningEvent, type WarningEventInput } from '../audit/record-warning-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { warnings } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { listMediators } from '../users/list-mediators.ts';
import { statisticsRoots, underPaths } from './statistics-scope.ts';

type Change = {
	warningId: string;
	/** The statuses the warning may be in for this change. */
	from: readonly WarningStatus[];
	set: Partial<typeof warnings.$inferInsert>;
	event: Pick<WarningEventInput, 'action' | 'data'>;
};

/**
 * Changes a warning the actor may see, under its row lock, and records the
 * change in the warning's audit chain in the same transaction. A warning
 * elsewhere is reported missing; one in the wrong status is refused (409).
 */
async function changeWarning(db: Db, actor: Actor, ip: string | null, change: Change): Promise<void> {
	const roots = await statisticsRoots(db, actor);
	await db.transaction(async (tx) => {
		const [row] = await tx
			.select({ status: warnings.status })
			.from(warnings)
			.where(and(eq(warnings.id, change.warningId), underPaths(warnings.orgPath, roots)))
			.for('update');
		if (!row) throw new AppError('NOT_FOUND');
		if (!change.from.includes(row.status)) throw new AppError('INVALID_TRANSITION');
		await tx
			.update(warnings)
			.set({ ...change.set, updatedAt: new Date() })
			.where(eq(warnings.id, change.warningId));
		await recordWarningEvent(tx, { warningId: change.warningId, actorId: actor.id, ip, ...change.event });
	});
}

/** Someone has seen the warning and takes it in hand. */
export async function acknowledgeWarning(db: Db, actor: Actor, input: unknown, ip: string | null): Promise<void> {
	authorize(actor, 'warnings:handle');
	const { warningId } = parseInput(warningIdSchema, input);
	await changeWarning(db, actor, ip, {
		warningId,
		from: ['open'],
		set: { status: 'acknowledged' },
		event: { action: 'warning.acknowledged', data: {} }
	});
}

/** Hands the warning to a mediator of the actor's subtree to follow up. */
export async function assignWarning(
	db: Db,
	actor: Actor,
	input: unknown,
	ip: string | null,
	events?: DomainEvents
): Promise<void> {
	authorize(actor, 'warnings:handle');
	const { warningId, assigneeId } = parseInput(warningAssignSchema, input);
	const mediators = await listMediators(db, actor);
	const chosen = mediators.find((mediator) => mediator.id === assigneeId);
	if (!chosen) throw new AppError('VALIDATION', { fields: { assigneeId: ['invalid'] } });
	await changeWarning(db, actor, ip, {
		warningId,
		from: ['open', 'acknowledged'],
		set: { assigneeId },
		event: { action: 'warning.assigned', data: { assigneeId, assigneeName: chosen.displayName } }
	});
	await events?.emit('warning.assigned', { warningId, assigneeId });
}

/** The risk is dealt with; the note says how. */
export async function resolveWarning(db: Db, actor: Actor, input: unknown, ip: string | null): Promise<void> {
	authorize(actor, 'warnings:handle');
	const { warningId, note } = parseInput(warningResolveSchema, input);
	await changeWarning(db, actor, ip, {
		warningId,
		from: ['open', 'acknowledged'],
		set: { status: 'resolved' },
		event: { action: 'warning.resolved', data: { note } }
	});
}
