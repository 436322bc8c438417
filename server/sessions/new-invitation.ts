import { randomInt } from 'node:crypto';
import { INVITATION_HOURS_AFTER_START, PIN_LENGTH } from '#shared/sessions.ts';
import { hashPassword } from '../auth/password.ts';
import { newTrackingToken } from '../cases/create-case.ts';

/** The shape of the tokens of invitation links and join cookies; anything else is looked up nowhere. */
export const isLinkToken = (token: string) => /^[A-Za-z0-9_-]{20,64}$/.test(token);

/** What the mediator is shown once and passes on: the link's token, and the PIN to give separately. */
export type InvitationSecret = { token: string; pin: string };

/** The invitation columns of a participant row: hashes only, a fresh lockout count, no revocation. */
export type InvitationColumns = {
	inviteTokenHash: string;
	pinHash: string;
	inviteExpiresAt: Date;
	revokedAt: null;
	failedPinAttempts: 0;
};

/**
 * A new invitation to a session at `scheduledFor`. The link works until
 * INVITATION_HOURS_AFTER_START after the start, counted from now when the
 * start has already passed (a reissue during a live session).
 */
export async function newInvitation(
	scheduledFor: Date,
	now: Date
): Promise<{ secret: InvitationSecret; columns: InvitationColumns }> {
	const link = newTrackingToken();
	const pin = String(randomInt(0, 10 ** PIN_LENGTH)).padStart(PIN_LENGTH, '0');
	const from = Math.max(scheduledFor.getTime(), now.getTime());
	return {
		secret: { token: link.token, pin },
		columns: {
			inviteTokenHash: link.hash,
			pinHash: await hashPassword(pin),
			inviteExpiresAt: new Date(from + INVITATION_HOURS_AFTER_START * 3_600_000),
			revokedAt: null,
			failedPinAttempts: 0
		}
	};
}
