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
import { Secret } from '../notifications/secret.ts';
import { parseInput } from '../parse-input.ts';
import { newInvitation } from './new-invitation.ts';
import type { IssuedInvitation } from './schedule-session.ts';
import { findCaseParticipant } from './session-scope.ts';

/**
 * A mediator gives a participant a new invitation (link and PIN, returned
 * once): for a lost link, a locked one, or one revoked by mistake. The old
 * link stops working and whoever joined with it is let out.
 */
export async function reissueInvitation(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<IssuedInvitation> {
	authorize(actor, 'sessions:schedule');
	const { caseId, participantId } = parseInput(invitationSchema, input);
	const issued = await app.db.transaction(async (tx) => {
		const { session, participant } = await findCaseParticipant(tx, actor, caseId, participantId, true);
		if (!participant.inviteTokenHash) throw new AppError('VALIDATION', { fields: { participantId: ['invalid'] } });
		if (!PENDING_STATUSES.includes(session.status)) throw new AppError('CONFLICT');
		const { secret, columns } = await newInvitation(session.scheduledFor, now);
		await tx.update(sessionParticipants).set(columns).where(eq(sessionParticipants.id, participant.id));
		await tx.delete(participantSessions).where(eq(participantSessions.participantId, participant.id));
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: 'session.invitation_reissued',
			data: { sessionId: session.id, participantId: participant.id },
			ip
		});
		const reissued: IssuedInvitation = {
			participantId: participant.id,
			displayName: participant.displayName,
			role: participant.role,
			...secret
		};
		return { ...reissued, sessionId: session.id };
	});
	await app.events.emit('invitation.revoked', { caseId, participantId });
	await app.events.emit('invitation.issued', {
		caseId,
		sessionId: issued.sessionId,
		participantId,
		token: new Secret(issued.token),
		pin: new Secret(issued.pin)
	});
	app.log.info({ caseId, participantId, actorId: actor.id }, 'invitation reissued');
	const { sessionId: _sessionId, ...invitation } = issued;
	return invitation;
}
