import { asc, desc, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { PartySide } from '#shared/cases.ts';
import type { Actor } from '#shared/roles.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseParties, followUps } from '../db/schema.ts';
import { agreementInForce } from './agreement-in-force.ts';
import { followUpVisitors, type FollowUpVisitor } from './follow-up-visitors.ts';
import { answersTo, openFollowUp, type FollowUpAnswer } from './open-follow-up.ts';

export type FollowUpRecordForm = {
	kase: { id: string; number: string; disputeType: string };
	tookEffectOn: string;
	parties: { id: string; side: PartySide; name: string }[];
	/** Who may go along: the case's other visitors. */
	coVisitors: FollowUpVisitor[];
	/** The visit this record fulfils: the open one, or (none open) the next number. */
	followUp: { seq: number; dueOn: string | null };
	/** The parties' answers to the open follow-up, which fill in the form. */
	answers: FollowUpAnswer[];
};

/**
 * What the screen of a follow-up record needs, for one of the case's visitors: refused to others
 * (FORBIDDEN) and for a case without an agreement in force (CONFLICT).
 */
export async function followUpRecordForm(db: Db, actor: Actor, caseId: string): Promise<FollowUpRecordForm> {
	const row = await findVisibleCase(db, actor, caseId);
	const visitors = await followUpVisitors(db, row.id);
	if (!visitors.some((person) => person.id === actor.id)) throw new AppError('FORBIDDEN');
	const agreement = await agreementInForce(db, row.id);
	if (!agreement) throw new AppError('CONFLICT');
	const [parties, open, [last]] = await Promise.all([
		db
			.select({ id: caseParties.id, side: caseParties.side, name: caseParties.name })
			.from(caseParties)
			.where(eq(caseParties.caseId, row.id))
			.orderBy(asc(caseParties.side), asc(caseParties.createdAt)),
		openFollowUp(db, row.id),
		db
			.select({ seq: followUps.seq })
			.from(followUps)
			.where(eq(followUps.caseId, row.id))
			.orderBy(desc(followUps.seq))
			.limit(1)
	]);
	const answers = open ? await answersTo(db, open.id) : [];
	return {
		kase: { id: row.id, number: row.number, disputeType: row.disputeType },
		tookEffectOn: agreement.tookEffectOn,
		parties,
		coVisitors: visitors.filter((person) => person.id !== actor.id),
		followUp: open ? { seq: open.seq, dueOn: open.dueOn } : { seq: (last?.seq ?? 0) + 1, dueOn: null },
		answers
	};
}
