import { and, eq } from 'drizzle-orm';
import { canTransition, type CaseStatus } from '#shared/cases.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { caseMediators } from '../db/schema.ts';

/** Whether the actor may register an oral agreement for the case now: one of its mediators, while it is being mediated. */
export async function mayRegisterOralAgreement(
	db: Db,
	actor: Actor,
	kase: { id: string; status: CaseStatus }
): Promise<boolean> {
	if (!canTransition(kase.status, 'resolve_orally')) return false;
	const [assigned] = await db
		.select({ userId: caseMediators.userId })
		.from(caseMediators)
		.where(and(eq(caseMediators.caseId, kase.id), eq(caseMediators.userId, actor.id)));
	return assigned !== undefined;
}
