import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { inviteExpertSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { caseExperts, users } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { findVisibleCase } from './case-scope.ts';

/** Invites a legal expert to a case: from then on they see it and can be consulted on it. */
export async function inviteExpert(app: { db: Db }, actor: Actor, input: unknown, ip: string | null): Promise<void> {
	authorize(actor, 'cases:mediate');
	const { caseId, expertId } = parseInput(inviteExpertSchema, input);
	await app.db.transaction(async (tx) => {
		await findVisibleCase(tx, actor, caseId, true);
		const [expert] = await tx
			.select({ id: users.id })
			.from(users)
			.where(and(eq(users.id, expertId), eq(users.role, 'legal_expert'), eq(users.active, true)));
		if (!expert) throw new AppError('VALIDATION', { fields: { expertId: ['invalid'] } });
		const inserted = await tx
			.insert(caseExperts)
			.values({ caseId, userId: expertId, invitedById: actor.id })
			.onConflictDoNothing()
			.returning({ userId: caseExperts.userId });
		if (!inserted.length) throw new AppError('VALIDATION', { fields: { expertId: ['taken'] } });
		await recordCaseEvent(tx, { caseId, actorId: actor.id, action: 'expert.invited', data: { expertId }, ip });
	});
}
