import { desc, eq } from 'drizzle-orm';
import type { CaseEventType } from '#shared/case-events.ts';
import { AppError } from '#shared/errors.ts';
import type { Db } from '../db/client.ts';
import { caseEvents, cases } from '../db/schema.ts';
import { caseEventHash, GENESIS_HASH } from './case-event-hash.ts';

export type CaseEventInput = {
	caseId: string;
	/** The acting account; absent for someone without one, such as a public applicant. */
	actorId?: string | null;
	/** Who acted, in words: required when there is no `actorId`. */
	actorLabel?: string | null;
	action: CaseEventType;
	data: Record<string, unknown>;
	ip?: string | null;
};

/**
 * Appends the next event to the case's audit chain inside the caller's
 * transaction, so the event commits or rolls back with the change it records.
 * Returns the event's sequence number and hash.
 */
export async function recordCaseEvent(tx: Db, event: CaseEventInput): Promise<{ seq: number; hash: string }> {
	// Lock the case row so concurrent appends to one case queue up instead of
	// forking the chain. `no key update` is the lock an update of the case takes
	// anyway, so recording and changing a case cannot deadlock each other, and
	// it leaves inserts that reference the case (parties, other tables) unblocked.
	// The unique (case_id, seq) index is the backstop should a caller skip the transaction.
	const [locked] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, event.caseId)).for('no key update');
	if (!locked) throw new AppError('NOT_FOUND');

	const [last] = await tx
		.select({ seq: caseEvents.seq, hash: caseEvents.hash })
		.from(caseEvents)
		.where(eq(caseEvents.caseId, event.caseId))
		.orderBy(desc(caseEvents.seq))
		.limit(1);
	const fields = {
		caseId: event.caseId,
		seq: (last?.seq ?? 0) + 1,
		actorId: event.actorId ?? null,
		actorLabel: event.actorLabel ?? null,
		action: event.action,
		// What is hashed must be exactly what jsonb gives back: plain JSON, no Dates or undefined.
		data: JSON.parse(JSON.stringify(event.data)) as unknown,
		ip: event.ip ?? null,
		// Millisecond precision, so the stored timestamptz reproduces it exactly.
		createdAt: new Date(),
		prevHash: last?.hash ?? GENESIS_HASH
	};
	const hash = caseEventHash(fields);
	await tx.insert(caseEvents).values({ ...fields, hash });
	return { seq: fields.seq, hash };
}
