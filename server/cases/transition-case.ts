import { eq } from 'drizzle-orm';
import { CASE_TRANSITIONS, canTransition, DEFAULT_ACCEPTANCE_SOURCE, outcomeOf } from '#shared/cases.ts';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { caseIdSchema, caseTransitionSchema, type CaseTransitionInput } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, cases } from '../db/schema.ts';
import { assignFileNumber } from '../dossier/assign-file-number.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { findVisibleCase, type CaseRow } from './case-scope.ts';
import { latestSealedRecord } from '../documents/latest-sealed-record.ts';
import { issueMissingPartyLinks } from './issue-missing-party-links.ts';
import { committeeById, parentCommittee } from './route-case.ts';

const DAY_MS = 86_400_000;

/**
 * A transition as the services apply it: one a mediator asks for on the case page, or one that
 * follows from another record (an oral agreement, sealed as `documentId`, resolves the case).
 */
export type AppliedTransition = CaseTransitionInput | { transition: 'resolve_orally'; documentId: string };

/** The changes to the case row that a transition makes besides its status. */
async function effectsOf(
	tx: Db,
	row: CaseRow,
	input: AppliedTransition,
	actorId: string | null,
	now: Date
): Promise<{ set: Partial<CaseRow>; data: Record<string, unknown> }> {
	switch (input.transition) {
		case 'accept': {
			const committee = await committeeById(tx, row.committeeId);
			const deadline = new Date(now.getTime() + committee!.deadlineDays * DAY_MS);
			// Whoever accepts takes the case on, unless mediators are already assigned.
			const [assigned] = await tx.select().from(caseMediators).where(eq(caseMediators.caseId, row.id)).limit(1);
			if (!assigned && actorId) await tx.insert(caseMediators).values({ caseId: row.id, userId: actorId });
			const linkedPartyIds = await issueMissingPartyLinks(tx, row.id);
			const acceptanceSource = input.acceptanceSource ?? DEFAULT_ACCEPTANCE_SOURCE[row.channel];
			if (!acceptanceSource) throw new AppError('VALIDATION', { fields: { acceptanceSource: ['required'] } });
			return {
				set: { acceptedAt: now, deadline, acceptanceSource },
				data: { deadline: deadline.toISOString(), linkedPartyIds, acceptanceSource, consent: true }
			};
		}
		case 'escalate': {
			const parent = await parentCommittee(tx, row.committeePath);
			if (!parent) throw new AppError('CONFLICT', { fields: { transition: ['no_parent'] } });
			// The new tier decides who mediates and when.
			await tx.delete(caseMediators).where(eq(caseMediators.caseId, row.id));
			return {
				set: { committeeId: parent.id, committeePath: parent.path, deadline: null },
				data: { reason: input.reason, fromCommitteeId: row.committeeId, toCommitteeId: parent.id }
			};
		}
		case 'fail': {
			const record = await latestSealedRecord(tx, row.id);
			if (record?.outcome?.result !== 'failed') {
				throw new AppError('CONFLICT', { fields: { transition: ['no_failed_record'] } });
			}
			return {
				set: { referralTarget: input.referralTarget },
				data: { reason: input.reason, referralTarget: input.referralTarget, recordId: record.id }
			};
		}
		case 'close': {
			const fileNumber = await assignFileNumber(tx, row, now);
			return { set: { closedAt: now, fileNumber }, data: { fileNumber } };
		}
		case 'reject':
		case 'withdraw':
			return { set: {}, data: { reason: input.reason } };
		case 'schedule':
			return { set: {}, data: { scheduledFor: input.scheduledFor } };
		case 'resolve':
			return { set: {}, data: { summary: input.summary } };
		case 'resolve_orally':
			return { set: {}, data: { documentId: input.documentId } };
		case 'start':
			return { set: {}, data: {} };
	}
}

/** Who makes a transition: a mediator, or a party through their tracking link. */
export type TransitionActor = { actorId: string } | { actorLabel: string };

/**
 * Applies a transition to a case row locked by the caller's transaction: the
 * state machine is checked against that row, so two people acting at once
 * cannot both succeed from the same status. A transition the status does not
 * allow is refused with INVALID_TRANSITION (409) and changes nothing.
 */
export async function applyTransition(
	tx: Db,
	row: CaseRow,
	change: AppliedTransition,
	by: TransitionActor,
	ip: string | null,
	now: Date
): Promise<CaseRow['status']> {
	if (!canTransition(row.status, change.transition)) throw new AppError('INVALID_TRANSITION');
	const to = CASE_TRANSITIONS[change.transition].to;
	const { set, data } = await effectsOf(tx, row, change, 'actorId' in by ? by.actorId : null, now);
	// The outcome outlives the status, which `close` replaces: the statistics count by it.
	const outcome = outcomeOf(change.transition);
	const ending = outcome ? { outcome, endedAt: now } : {};
	await tx
		.update(cases)
		.set({ ...set, ...ending, status: to, updatedAt: now })
		.where(eq(cases.id, row.id));
	await recordCaseEvent(tx, {
		caseId: row.id,
		...by,
		action: `case.${change.transition}`,
		data: { from: row.status, to, ...data },
		ip
	});
	return to;
}

/** A mediator moves a case they may see along its lifecycle. */
export async function transitionCase(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<{ status: CaseRow['status'] }> {
	authorize(actor, 'cases:mediate');
	const { caseId } = parseInput(caseIdSchema, input);
	const change = parseInput(caseTransitionSchema, input);
	const status = await app.db.transaction(async (tx) => {
		const row = await findVisibleCase(tx, actor, caseId, true);
		const to = await applyTransition(tx, row, change, { actorId: actor.id }, ip, now);
		app.log.info({ caseId: row.id, actorId: actor.id, from: row.status, to }, 'case transition');
		return to;
	});
	await app.events.emit('case.changed', { caseId });
	if (change.transition === 'accept') await app.events.emit('case.accepted', { caseId, actorId: actor.id, ip });
	if (status === 'closed')
		await app.events.emit('case.closed', { caseId, actor: { id: actor.id, label: actor.displayName } });
	return { status };
}
