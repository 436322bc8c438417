import { eq } from 'drizzle-orm';
import type { App } from '#server/app.ts';
import { createSession, SESSION_COOKIE } from '#server/auth/sessions.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { caseParties } from '#server/db/schema.ts';
import { joinByInvitation } from '#server/sessions/join-by-invitation.ts';
import { JOIN_COOKIE } from '#server/sessions/participant-of.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import type { Actor } from '#shared/roles.ts';
import { intakeForm, type Network } from './case-network.ts';
import { CLIENT } from './integration-test.ts';
import { acknowledgeNoticeForAll } from './notice.ts';

/** Cases, log-ins and invited guests for the socket-level specs. */

/** A log-in session of a fixture account (they have no password to log in with). */
export async function accountCookie(app: App, actor: Actor): Promise<string> {
	const { token } = await createSession(app.db, actor.id, CLIENT, app.config.sessionDays);
	return `${SESSION_COOKIE}=${token}`;
}

/** An online application to 东村 that its mediator accepted. */
export async function acceptedCase(app: App, network: Network, overrides: Record<string, unknown> = {}) {
	const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id, overrides), [], null);
	await transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null);
	return caseId;
}

/** Someone invited without an account, joined by link and PIN. */
export type Guest = {
	participantId: string;
	name: string;
	side: 'applicant' | 'respondent';
	cookie: string;
	pin: string;
};

/**
 * A mediation tomorrow with the case's parties invited (or those of `sides`), each joined by
 * link and PIN and, unless told otherwise, having acknowledged the rights and duties notice.
 */
export async function mediationWithGuests(
	app: App,
	network: Network,
	caseId: string,
	sides: Guest['side'][] = ['applicant', 'respondent'],
	{ acknowledged = true } = {}
): Promise<{ sessionId: string; guests: Guest[] }> {
	const parties = (await app.db.select().from(caseParties).where(eq(caseParties.caseId, caseId))).filter((party) =>
		sides.includes(party.side)
	);
	const { sessionId, invitations } = await scheduleSession(
		app,
		network.eastMediator,
		{
			caseId,
			kind: 'mediation',
			scheduledFor: new Date(Date.now() + 86_400_000).toISOString().slice(0, 16),
			utcOffset: '0',
			partyIds: parties.map((party) => party.id)
		},
		null
	);
	const guests: Guest[] = [];
	for (const party of parties) {
		const invitation = invitations.find((i) => i.displayName === party.name)!;
		const outcome = await joinByInvitation(app, invitation.token, { pin: invitation.pin }, CLIENT);
		if (!outcome.joined) throw new Error(outcome.state);
		guests.push({
			participantId: invitation.participantId,
			name: party.name,
			side: party.side,
			cookie: `${JOIN_COOKIE}=${outcome.joinToken}`,
			pin: invitation.pin
		});
	}
	if (acknowledged) await acknowledgeNoticeForAll(app, caseId);
	return { sessionId, guests };
}
