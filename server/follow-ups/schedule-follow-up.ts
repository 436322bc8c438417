import { desc, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { daysBetween, dayOf, NEXT_VISIT_MAX_DAYS, scheduleFollowUpSchema } from '#shared/follow-ups.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { followUps } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { parseInput } from '../parse-input.ts';
import { agreementInForce } from './agreement-in-force.ts';
import { followUpVisitors } from './follow-up-visitors.ts';
import { openFollowUp } from './open-follow-up.ts';
import { scheduleNext } from './record-follow-up.ts';

/**
 * One of a case's visitors sets another follow-up visit when none is open (the last was recorded
 * without a next one, and something calls for another). Refused: bad fields or a day not ahead
 * (VALIDATION), a case they may not see (NOT_FOUND), someone not among its visitors (FORBIDDEN),
 * no agreement in force or a follow-up already open (CONFLICT).
 */
export async function scheduleFollowUp(
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<{ followUpId: string }> {
	authorize(actor, 'cases:mediate');
	const fields = parseInput(scheduleFollowUpSchema, input);
	const row = await findVisibleCase(app.db, actor, fields.caseId);
	if (!(await followUpVisitors(app.db, row.id)).some((person) => person.id === actor.id)) {
		throw new AppError('FORBIDDEN');
	}
	const ahead = daysBetween(dayOf(now), fields.dueOn);
	if (ahead < 0) throw new AppError('VALIDATION', { fields: { dueOn: ['in_past'] } });
	if (ahead > NEXT_VISIT_MAX_DAYS) throw new AppError('VALIDATION', { fields: { dueOn: ['invalid'] } });
	if (!(await agreementInForce(app.db, row.id))) throw new AppError('CONFLICT');
	const scheduled = await app.db.transaction(async (tx) => {
		await findVisibleCase(tx, actor, row.id, true);
		if (await openFollowUp(tx, row.id)) throw new AppError('CONFLICT');
		const [last] = await tx
			.select({ seq: followUps.seq })
			.from(followUps)
			.where(eq(followUps.caseId, row.id))
			.orderBy(desc(followUps.seq))
			.limit(1);
		return scheduleNext(tx, actor, row.id, (last?.seq ?? 0) + 1, fields.dueOn, ip);
	});
	await app.events.emit('follow_up.scheduled', scheduled);
	return { followUpId: scheduled.followUpId };
}
