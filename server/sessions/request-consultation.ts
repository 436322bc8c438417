import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { caseHoldsSession } from '#shared/sessions.ts';
import { consultationRequestSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseExperts, caseParties, mediationSessions, sessionParticipants, users } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { assertUpcoming, sessionInstant } from './session-time.ts';

/**
 * A party (with an account) or a mediator asks one of the case's legal
 * experts for a consultation at a time they propose. It waits, as
 * `requested`, until that expert accepts it.
 */
export async function requestConsultation(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<{ sessionId: string }> {
	authorize(actor, 'consultations:request');
	const fields = parseInput(consultationRequestSchema, input);
	const scheduledFor = sessionInstant(fields.scheduledFor, fields.utcOffset);
	assertUpcoming(scheduledFor, now);

	const requested = await app.db.transaction(async (tx) => {
		const caseRow = await findVisibleCase(tx, actor, fields.caseId, true);
		if (!caseHoldsSession(caseRow.status, 'consultation')) throw new AppError('INVALID_TRANSITION');
		const [expert] = await tx
			.select({ id: users.id, displayName: users.displayName })
			.from(caseExperts)
			.innerJoin(users, eq(users.id, caseExperts.userId))
			.where(and(eq(caseExperts.caseId, caseRow.id), eq(caseExperts.userId, fields.expertId), eq(users.active, true)));
		if (!expert) throw new AppError('VALIDATION', { fields: { expertId: ['invalid'] } });

		let requester: { role: 'mediator' | 'party'; casePartyId: string | null; displayName: string };
		if (actor.role === 'party') {
			// A party sees only cases they are a party of, so their party row is there.
			const [party] = await tx
				.select({ id: caseParties.id, name: caseParties.name })
				.from(caseParties)
				.where(and(eq(caseParties.caseId, caseRow.id), eq(caseParties.userId, actor.id)))
				.limit(1);
			requester = { role: 'party', casePartyId: party.id, displayName: party.name };
		} else {
			requester = { role: 'mediator', casePartyId: null, displayName: actor.displayName };
		}

		const [session] = await tx
			.insert(mediationSessions)
			.values({
				caseId: caseRow.id,
				kind: 'consultation',
				status: 'requested',
				scheduledFor,
				agenda: fields.agenda ?? null,
				createdById: actor.id,
				createdAt: now,
				updatedAt: now
			})
			.returning({ id: mediationSessions.id });
		await tx.insert(sessionParticipants).values([
			{ sessionId: session.id, userId: actor.id, ...requester },
			{ sessionId: session.id, role: 'legal_expert', userId: expert.id, displayName: expert.displayName }
		]);
		await recordCaseEvent(tx, {
			caseId: caseRow.id,
			actorId: actor.id,
			action: 'session.consultation_requested',
			data: { sessionId: session.id, expertId: expert.id, startsAt: scheduledFor.toISOString() },
			ip
		});
		app.log.info({ caseId: caseRow.id, sessionId: session.id, actorId: actor.id }, 'consultation requested');
		return { sessionId: session.id };
	});
	await app.events.emit('consultation.requested', { caseId: fields.caseId, sessionId: requested.sessionId });
	return requested;
}
