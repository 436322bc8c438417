import { eq } from 'drizzle-orm';
import type { App } from '#server/app.ts';
import { hashPassword } from '#server/auth/password.ts';
import { users } from '#server/db/schema.ts';
import { recordFollowUp } from '#server/follow-ups/record-follow-up.ts';
import { dayOf } from '#shared/follow-ups.ts';
import type { Actor } from '#shared/roles.ts';
import { CLIENT } from './integration-test.ts';
import type { CaseSetUp } from './mediation-case.ts';
import { signaturePng } from './signing-samples.ts';

export const VISITOR_PASSWORD = 'visitor-password-1';
export const VISITOR_SIGNATURE = await signaturePng('赵回访');

/** Gives the fixture's account a password to sign with. */
export async function withVisitorPassword(app: App, userId: string): Promise<void> {
	await app.db
		.update(users)
		.set({ passwordHash: await hashPassword(VISITOR_PASSWORD) })
		.where(eq(users.id, userId));
}

/** A phone follow-up of the case as a mediator records it today: both parties reached, performed in part. */
export const followUpRecord = (kase: CaseSetUp, fields: Record<string, unknown> = {}) => ({
	caseId: kase.caseId,
	partyIds: [kase.applicant.id, kase.respondent.id],
	method: 'phone',
	visitedOn: dayOf(new Date()),
	performance: 'partly',
	satisfaction: '4',
	lawsuit: 'no',
	risks: '王建国尚未拆除砌墙，李秀英担心雨季再次倒灌。',
	steps: '电话督促王建国于本月底前拆除，并告知逾期可申请司法确认后强制执行。',
	password: VISITOR_PASSWORD,
	...fields
});

/** `mediator` (given a password first) records the case's follow-up with `fields` over the phone defaults. */
export async function recordPhoneFollowUp(
	app: App,
	mediator: Actor,
	kase: CaseSetUp,
	fields: Record<string, unknown> = {}
) {
	await withVisitorPassword(app, mediator.id);
	return recordFollowUp(app, mediator, followUpRecord(kase, fields), VISITOR_SIGNATURE, CLIENT);
}
