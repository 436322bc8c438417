import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { canMoveSession, SESSION_TRANSITIONS } from '#shared/sessions.ts';
import { sessionOfCaseSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { mediationSessions, sessionParticipants } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { findCaseSession } from './session-scope.ts';

/** The legal expert a consultation was asked of accepts it: it is scheduled, and its participants may enter the room. */
export async function acceptConsultation(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<void> {
	authorize(actor, 'consultations:answer');
	const { caseId, sessionId } = parseInput(sessionOfCaseSchema, input);
	await app.db.transaction(async (tx) => {
		const { session } = await findCaseSession(tx, actor, caseId, sessionId, true);
		const [asked] = await tx
			.select({ id: sessionParticipants.id })
			.from(sessionParticipants)
			.where(
				and(
					eq(sessionParticipants.sessionId, session.id),
					eq(sessionParticipants.userId, actor.id),
					eq(sessionParticipants.role, 'legal_expert')
				)
			);
		if (!asked) throw new AppError('FORBIDDEN');
		if (session.kind !== 'consultation' || !canMoveSession(session.status, 'accept')) throw new AppError('CONFLICT');
		await tx
			.update(mediationSessions)
			.set({ status: SESSION_TRANSITIONS.accept.to, updatedAt: now })
			.where(eq(mediationSessions.id, session.id));
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: 'session.consultation_accepted',
			data: { sessionId: session.id },
			ip
		});
	});
	app.log.info({ caseId, sessionId, actorId: actor.id }, 'consultation accepted');
	await app.events.emit('consultation.accepted', { caseId, sessionId });
}
