import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { MAX_PIN_FAILURES, type InvitationState, type ParticipantRole, type SessionKind } from '#shared/sessions.ts';
import { trackingTokenHash } from '../cases/create-case.ts';
import type { Db } from '../db/client.ts';
import { cases, committees, mediationSessions, sessionParticipants, users } from '../db/schema.ts';
import type { ParticipantRow, SessionRow } from './session-scope.ts';
import { isLinkToken } from './new-invitation.ts';

/** Where an invitation stands now (see INVITATION_STATES). */
export function invitationState(
	participant: Pick<ParticipantRow, 'revokedAt' | 'inviteExpiresAt' | 'failedPinAttempts'>,
	session: Pick<SessionRow, 'status'>,
	now: Date
): InvitationState {
	if (participant.revokedAt) return 'revoked';
	if (session.status === 'cancelled' || session.status === 'ended') return session.status;
	if (!participant.inviteExpiresAt || participant.inviteExpiresAt <= now) return 'expired';
	if (participant.failedPinAttempts >= MAX_PIN_FAILURES) return 'locked';
	if (session.status === 'requested') return 'pending';
	return 'open';
}

/** What the invitation page shows before the PIN: the session, who invites, never the case's contents. */
export type InvitationView = {
	state: InvitationState;
	attemptsLeft: number;
	participantId: string;
	role: ParticipantRole;
	session: { id: string; kind: SessionKind; scheduledFor: Date; title: string | null };
	caseNumber: string;
	invitedBy: string;
	committeeName: string;
};

/** The invitation of a link token; an unknown, malformed or replaced link is simply not found. */
export async function describeInvitation(db: Db, token: string, now = new Date()): Promise<InvitationView> {
	if (!isLinkToken(token)) throw new AppError('NOT_FOUND');
	const [found] = await db
		.select({
			participant: sessionParticipants,
			session: mediationSessions,
			caseNumber: cases.number,
			invitedBy: users.displayName,
			committeeName: committees.name
		})
		.from(sessionParticipants)
		.innerJoin(mediationSessions, eq(mediationSessions.id, sessionParticipants.sessionId))
		.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.innerJoin(users, eq(users.id, mediationSessions.createdById))
		.where(eq(sessionParticipants.inviteTokenHash, trackingTokenHash(token)));
	if (!found) throw new AppError('NOT_FOUND');
	const { participant, session } = found;
	return {
		state: invitationState(participant, session, now),
		attemptsLeft: Math.max(0, MAX_PIN_FAILURES - participant.failedPinAttempts),
		participantId: participant.id,
		role: participant.role,
		session: { id: session.id, kind: session.kind, scheduledFor: session.scheduledFor, title: session.title },
		caseNumber: found.caseNumber,
		invitedBy: found.invitedBy,
		committeeName: found.committeeName
	};
}
