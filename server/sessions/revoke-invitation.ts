import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { PENDING_STATUSES } from '#shared/sessions.ts';
import { invitationSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { participantSessions, sessionParticipants } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { findCaseParticipant } from './session-scope.ts';

/**
 * A mediator withdraws an invitation: its link stops working, and whoever
 * joined with it is let out at once. Revoking a revoked invitation changes
 * nothing; a reissue gives a working one again.
 */
export async function revokeInvitation(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<void> {
	authorize(actor, 'sessions:schedule');
	const { caseId, participantId } = parseInput(invitationSchema, input);
	const revoked = await app.db.transaction(async (tx) => {
		const { session, participant } = await findCaseParticipant(tx, actor, caseId, participantId, true);
		if (!participant.inviteTokenHash) throw new AppError('VALIDATION', { fields: { participantId: ['invalid'] } });
		if (participant.revokedAt) return false;
		if (!PENDING_STATUSES.includes(session.status)) throw new AppError('CONFLICT');
		await tx.update(sessionParticipants).set({ revokedAt: now }).where(eq(sessionParticipants.id, participant.id));
		await tx.delete(participantSessions).where(eq(participantSessions.participantId, participant.id));
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: 'session.invitation_revoked',
			data: { sessionId: session.id, participantId: participant.id },
			ip
		});
		return true;
	});
	if (!revoked) return;
	await app.events.emit('invitation.revoked', { caseId, participantId });
	app.log.info({ caseId, participantId, actorId: actor.id }, 'invitation revoked');
}
