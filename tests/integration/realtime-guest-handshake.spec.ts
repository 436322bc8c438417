import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { caseParties, participantSessions } from '#server/db/schema.ts';
import { joinByInvitation } from '#server/sessions/join-by-invitation.ts';
import { JOIN_COOKIE } from '#server/sessions/participant-of.ts';
import { reissueInvitation } from '#server/sessions/reissue-invitation.ts';
import { revokeInvitation } from '#server/sessions/revoke-invitation.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import { intakeForm, setUpNetwork, type Network } from '../fixtures/case-network.ts';
import { connected, disconnected, refusal, sessionCookie, socketTest, whoami } from './socket-client.ts';
import { addUser, CLIENT } from './support.ts';

const test = socketTest.extend('network', async ({ app }) => setUpNetwork(app));

/** A mediation tomorrow with the respondent invited; returns the cookie of their join by link and PIN. */
async function invitedGuest(app: App, network: Network) {
	const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
	await transitionCase(app, network.eastMediator, { caseId, transition: 'accept' }, null);
	const [respondent] = await app.db.select().from(caseParties).where(eq(caseParties.side, 'respondent'));
	const { invitations } = await scheduleSession(
		app,
		network.eastMediator,
		{
			caseId,
			kind: 'mediation',
			scheduledFor: new Date(Date.now() + 86_400_000).toISOString().slice(0, 16),
			utcOffset: '0',
			partyIds: [respondent.id]
		},
		null
	);
	const [invitation] = invitations;
	const outcome = await joinByInvitation(app, invitation.token, { pin: invitation.pin }, CLIENT);
	if (!outcome.joined) throw new Error(outcome.state);
	return { caseId, participantId: invitation.participantId, cookie: `${JOIN_COOKIE}=${outcome.joinToken}` };
}

describe('guest handshake', () => {
	test('a join cookie connects someone invited, who has no account to ask about', async ({ app, network, connect }) => {
		const { cookie } = await invitedGuest(app, network);
		const socket = connect({ cookie: `tj_locale=zh-CN; ${cookie}` });
		await connected(socket);

		expect(await whoami(socket)).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED' } });
		expect(socket.connected).toBe(true);
	});

	test('revoking the invitation ends the live connection and refuses the cookie from then on', async ({
		app,
		network,
		connect
	}) => {
		const { caseId, participantId, cookie } = await invitedGuest(app, network);
		const socket = connect({ cookie });
		await connected(socket);
		const ended = new Promise<{ reason: string }>((resolve) => socket.once('session:ended', resolve));
		const gone = disconnected(socket);

		await revokeInvitation(app, network.eastMediator, { caseId, participantId }, null);

		expect(await ended).toEqual({ reason: 'revoked' });
		expect(await gone).toBe('io server disconnect');
		expect((await refusal(connect({ cookie }))).message).toBe('UNAUTHENTICATED');
	});

	test('a reissue lets the old join out too', async ({ app, network, connect }) => {
		const { caseId, participantId, cookie } = await invitedGuest(app, network);
		const socket = connect({ cookie });
		await connected(socket);
		const gone = disconnected(socket);

		await reissueInvitation(app, network.eastMediator, { caseId, participantId }, null);

		expect(await gone).toBe('io server disconnect');
		expect((await refusal(connect({ cookie }))).message).toBe('UNAUTHENTICATED');
	});

	test.for([`${JOIN_COOKIE}=garbage`, `${JOIN_COOKIE}=${'A'.repeat(32)}`, `${JOIN_COOKIE}=`])(
		'a join cookie that names no join (%s) is UNAUTHENTICATED',
		async (cookie, { connect }) => {
			expect((await refusal(connect({ cookie }))).message).toBe('UNAUTHENTICATED');
		}
	);

	test('an expired join is UNAUTHENTICATED', async ({ app, network, connect }) => {
		const { cookie } = await invitedGuest(app, network);
		await app.db.update(participantSessions).set({ expiresAt: new Date(Date.now() - 1_000) });

		expect((await refusal(connect({ cookie }))).message).toBe('UNAUTHENTICATED');
	});

	test('with a log-in session and a join cookie, the account is who connects', async ({ app, network, connect }) => {
		const { cookie } = await invitedGuest(app, network);
		const user = await addUser(app, network.admin);
		const socket = connect({ cookie: `${cookie}; ${await sessionCookie(app, user)}` });
		await connected(socket);

		expect(await whoami(socket)).toMatchObject({ ok: true, data: { actor: { id: user.userId } } });
	});
});
