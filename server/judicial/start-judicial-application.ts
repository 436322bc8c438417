import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { clauseKey, flagClauses, startApplicationSchema, type DecidedClause } from '#shared/judicial.ts';
import type { Actor } from '#shared/roles.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, cases, judicialApplications, judicialSignatures } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { parseInput } from '../parse-input.ts';
import { applicationFor, currentJudicialAgreement, openClock } from './judicial-agreement.ts';
import { raiseJudicialDeadlineWarnings } from './judicial-deadline-warnings.ts';
import { courtsForCommittee } from './manage-courts.ts';

/**
 * One of the case's mediators prepares the joint application for judicial confirmation of its
 * sealed agreement, within 30 days of it taking effect: the court (one listed for the committee's
 * node or above), a note, and a decision on every clause the rules flag (left out, or kept with a
 * reason). Until a party has signed it may be prepared again; each decision is an audit event.
 */
export async function startJudicialApplication(
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<{ applicationId: string }> {
	authorize(actor, 'cases:mediate');
	const form = parseInput(startApplicationSchema, input);
	const kase = await findVisibleCase(app.db, actor, form.caseId);
	const [assigned] = await app.db
		.select({ userId: caseMediators.userId })
		.from(caseMediators)
		.where(and(eq(caseMediators.caseId, kase.id), eq(caseMediators.userId, actor.id)));
	if (!assigned) throw new AppError('FORBIDDEN');
	const agreement = await currentJudicialAgreement(app.db, kase.id);
	if (!agreement) throw new AppError('CONFLICT', { fields: { judicial: ['required'] } });
	const clock = openClock(agreement, now);
	const court = (await courtsForCommittee(app.db, kase.committeePath)).find((c) => c.id === form.courtId);
	if (!court) throw new AppError('VALIDATION', { fields: { courtId: ['invalid'] } });

	const fields: Record<string, string[]> = {};
	const clauses: DecidedClause[] = flagClauses(agreement.text).map((clause) => {
		const key = clauseKey(clause.line);
		const decision = form.decisions[key];
		const reason = form.reasons[key]?.trim() || null;
		if (!decision) fields[`decisions.${key}`] = ['undecided'];
		else if (decision === 'keep' && !reason) fields[`reasons.${key}`] = ['required'];
		return { ...clause, decision: decision ?? 'exclude', reason: decision === 'keep' ? reason : null };
	});
	if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });

	const applicationId = await app.db.transaction(async (tx) => {
		// The case's row, so that preparing and signing take turns.
		await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, kase.id)).for('no key update');
		const existing = await applicationFor(tx, agreement.id);
		if (existing) {
			const signed = await tx.$count(judicialSignatures, eq(judicialSignatures.applicationId, existing.id));
			if (signed > 0 || existing.documentId) throw new AppError('CONFLICT', { fields: { judicial: ['signed'] } });
		}
		const values = {
			courtId: court.id,
			court: { name: court.name, address: court.address, phone: court.phone },
			note: form.note,
			clauses,
			startedById: actor.id,
			startedAt: now
		};
		const [row] = existing
			? await tx
					.update(judicialApplications)
					.set(values)
					.where(eq(judicialApplications.id, existing.id))
					.returning({ id: judicialApplications.id })
			: await tx
					.insert(judicialApplications)
					.values({ ...values, caseId: kase.id, sealedAgreementId: agreement.id })
					.returning({ id: judicialApplications.id });
		await recordCaseEvent(tx, {
			caseId: kase.id,
			actorId: actor.id,
			action: 'judicial.started',
			data: {
				applicationId: row.id,
				sealedAgreementId: agreement.id,
				court: court.name,
				day: clock.day,
				lastDay: clock.lastDay,
				flagged: clauses.length,
				again: existing !== null
			},
			ip
		});
		for (const clause of clauses) {
			await recordCaseEvent(tx, {
				caseId: kase.id,
				actorId: actor.id,
				action: 'judicial.clause_decided',
				data: {
					applicationId: row.id,
					line: clause.line,
					clause: clause.text,
					flags: clause.flags,
					decision: clause.decision,
					reason: clause.reason
				},
				ip
			});
		}
		return row.id;
	});
	await app.events.emit('judicial.changed', { caseId: kase.id });
	// Prepared on day 20 or later: its warning at once, not at the next sweep.
	if (clock.state === 'near') await raiseJudicialDeadlineWarnings(app.db, now);
	return { applicationId };
}
