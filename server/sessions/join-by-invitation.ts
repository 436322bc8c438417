import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { MAX_PIN_FAILURES, type InvitationState } from '#shared/sessions.ts';
import { joinPinSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { verifyPassword } from '../auth/password.ts';
import type { Client } from '../auth/sessions.ts';
import { newTrackingToken, trackingTokenHash } from '../cases/create-case.ts';
import type { Db } from '../db/client.ts';
import { mediationSessions, participantSessions, sessionParticipants } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { invitationState } from './describe-invitation.ts';
import { isLinkToken } from './new-invitation.ts';

export type JoinOutcome =
	| { joined: true; sessionId: string; joinToken: string; expiresAt: Date }
	| { joined: false; state: 'wrong_pin'; attemptsLeft: number }
	| { joined: false; state: Exclude<InvitationState, 'open'> };

/**
 * Someone opens an invitation link and types the PIN. A right PIN on a good
 * invitation admits them: a join (the `tj_join` cookie's token, valid as long
 * as the invitation) and a `session.joined` audit event with their address.
 * A wrong PIN counts against the invitation, and the count is not reset by a
 * right one: after MAX_PIN_FAILURES it is locked for good and the mediator
 * must reissue it. Each wrong PIN is an audit event too.
 */
export async function joinByInvitation(
	app: { db: Db; log: Logger },
	token: string,
	input: unknown,
	client: Client,
	now = new Date()
): Promise<JoinOutcome> {
	if (!isLinkToken(token)) throw new AppError('NOT_FOUND');
	const { pin } = parseInput(joinPinSchema, input);
	const outcome = await app.db.transaction(async (tx): Promise<JoinOutcome> => {
		// The participant row is held while the PIN is checked, so parallel guesses queue up and all count.
		const [found] = await tx
			.select({ participant: sessionParticipants, session: mediationSessions })
			.from(sessionParticipants)
			.innerJoin(mediationSessions, eq(mediationSessions.id, sessionParticipants.sessionId))
			.where(eq(sessionParticipants.inviteTokenHash, trackingTokenHash(token)))
			.for('update', { of: sessionParticipants });
		if (!found) throw new AppError('NOT_FOUND');
		const { participant, session } = found;
		const state = invitationState(participant, session, now);
		if (state !== 'open') return { joined: false, state };
		const who = { caseId: session.caseId, actorLabel: participant.displayName, ip: client.ip };

		if (!(await verifyPassword(participant.pinHash!, pin))) {
			const failures = participant.failedPinAttempts + 1;
			await tx
				.update(sessionParticipants)
				.set({ failedPinAttempts: failures })
				.where(eq(sessionParticipants.id, participant.id));
			const attemptsLeft = MAX_PIN_FAILURES - failures;
			await recordCaseEvent(tx, {
				...who,
				action: 'session.pin_failed',
				data: { sessionId: session.id, participantId: participant.id, attemptsLeft }
			});
			return attemptsLeft > 0
				? { joined: false, state: 'wrong_pin', attemptsLeft }
				: { joined: false, state: 'locked' };
		}

		const join = newTrackingToken();
		const expiresAt = participant.inviteExpiresAt!;
		await tx.insert(participantSessions).values({
			id: join.hash,
			participantId: participant.id,
			expiresAt,
			ip: client.ip,
			userAgent: client.userAgent?.slice(0, 300) ?? null
		});
		await tx.update(sessionParticipants).set({ lastJoinedAt: now }).where(eq(sessionParticipants.id, participant.id));
		await recordCaseEvent(tx, {
			...who,
			action: 'session.joined',
			data: { sessionId: session.id, participantId: participant.id, role: participant.role, via: 'invitation' }
		});
		return { joined: true, sessionId: session.id, joinToken: join.token, expiresAt };
	});
	app.log.info(
		{ state: outcome.joined ? 'joined' : outcome.state, ip: client.ip },
		outcome.joined ? 'joined by invitation' : 'invitation join refused'
	);
	return outcome;
}
