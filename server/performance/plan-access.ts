import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase, type CaseRow } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, oralAgreements, performanceItems, sealedAgreements } from '../db/schema.ts';

/** The agreement a plan performs: the case's current sealed agreement, or its oral agreement. */
export type AgreementOfRecord = { sealedAgreementId: string | null; oralAgreementId: string | null };

export async function agreementOfRecord(db: Db, caseId: string): Promise<AgreementOfRecord | null> {
	const [sealed] = await db
		.select({ id: sealedAgreements.id })
		.from(sealedAgreements)
		.where(and(eq(sealedAgreements.caseId, caseId), isNull(sealedAgreements.supersededAt)));
	if (sealed) return { sealedAgreementId: sealed.id, oralAgreementId: null };
	const [oral] = await db
		.select({ id: oralAgreements.id })
		.from(oralAgreements)
		.where(eq(oralAgreements.caseId, caseId));
	return oral ? { sealedAgreementId: null, oralAgreementId: oral.id } : null;
}

export async function mediatesCase(db: Db, actor: Actor, caseId: string): Promise<boolean> {
	const [assigned] = await db
		.select({ userId: caseMediators.userId })
		.from(caseMediators)
		.where(and(eq(caseMediators.caseId, caseId), eq(caseMediators.userId, actor.id)));
	return assigned !== undefined;
}

/**
 * The case, locked when asked, if the actor is one of its mediators: only they keep the plan.
 * Someone who may not see the case learns nothing of it (NOT_FOUND); one who sees it without
 * mediating it is refused (FORBIDDEN).
 */
export async function caseKeptBy(db: Db, actor: Actor, caseId: string, lock = false): Promise<CaseRow> {
	authorize(actor, 'cases:mediate');
	const row = await findVisibleCase(db, actor, caseId, lock);
	if (!(await mediatesCase(db, actor, caseId))) throw new AppError('FORBIDDEN');
	return row;
}

/** The day in the committee's zone, as `YYYY-MM-DD`: due days are days there. */
export const dayOf = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);

export function addDays(day: string, days: number): string {
	const date = new Date(`${day}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
}

/** An item of the case's plan, its row locked for the caller's transaction; one of another case is not found. */
export async function lockedItem(tx: Db, caseId: string, itemId: string) {
	const [item] = await tx
		.select()
		.from(performanceItems)
		.where(and(eq(performanceItems.id, itemId), eq(performanceItems.caseId, caseId)))
		.for('update');
	if (!item) throw new AppError('NOT_FOUND');
	return item;
}
