import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { roleHas } from '#shared/permissions.ts';
import type { Actor } from '#shared/roles.ts';
import { canMoveSession, SESSION_TRANSITIONS } from '#shared/sessions.ts';
import { cancelSessionSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { mediationSessions, participantSessions, sessionParticipants } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { findCaseSession } from './session-scope.ts';

/**
 * Calls a session off. A mediator who may see the case can cancel any of its
 * sessions; a consultation can also be called off by those taking part in it
 * (its expert declining it, or whoever asked for it). Everyone who joined by
 * invitation is let out.
 */
export async function cancelSession(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<void> {
	authorize(actor, 'account:use');
	const { caseId, sessionId, reason } = parseInput(cancelSessionSchema, input);
	const guests = await app.db.transaction(async (tx) => {
		const { session } = await findCaseSession(tx, actor, caseId, sessionId, true);
		const participants = await tx
			.select({ id: sessionParticipants.id, userId: sessionParticipants.userId })
			.from(sessionParticipants)
			.where(eq(sessionParticipants.sessionId, session.id));
		const mayCancel =
			roleHas(actor.role, 'sessions:schedule') ||
			(session.kind === 'consultation' && participants.some((p) => p.userId === actor.id));
		if (!mayCancel) throw new AppError('FORBIDDEN');
		if (!canMoveSession(session.status, 'cancel')) throw new AppError('CONFLICT');
		await tx
			.update(mediationSessions)
			.set({ status: SESSION_TRANSITIONS.cancel.to, updatedAt: now })
			.where(eq(mediationSessions.id, session.id));
		const invited = await tx
			.select({ id: sessionParticipants.id })
			.from(sessionParticipants)
			.where(and(eq(sessionParticipants.sessionId, session.id), isNotNull(sessionParticipants.inviteTokenHash)));
		if (invited.length)
			await tx.delete(participantSessions).where(
				inArray(
					participantSessions.participantId,
					invited.map((p) => p.id)
				)
			);
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: 'session.cancelled',
			data: { sessionId: session.id, ...(reason ? { reason } : {}) },
			ip
		});
		return invited;
	});
	await app.events.emit('session.cancelled', {
		caseId,
		sessionId,
		invitedParticipantIds: guests.map((guest) => guest.id)
	});
	app.log.info({ caseId, sessionId, actorId: actor.id }, 'session cancelled');
}
