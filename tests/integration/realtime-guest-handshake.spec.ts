import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { participantSessions } from '#server/db/schema.ts';
import { JOIN_COOKIE } from '#server/sessions/participant-of.ts';
import { reissueInvitation } from '#server/sessions/reissue-invitation.ts';
import { revokeInvitation } from '#server/sessions/revoke-invitation.ts';
import { setUpNetwork, type Network } from '../support/case-network.ts';
import { acceptedCase, mediationWithGuests } from '../support/invited-guests.ts';
import { connected, disconnected, refusal, sessionCookie, socketTest, whoami } from '../support/socket-client.ts';
import { addUser } from '../support/integration-test.ts';

const test = socketTest.extend('network', async ({ app }) => setUpNetwork(app));

/** A mediation tomorrow with the respondent invited; returns the cookie of their join by link and PIN. */
async function invitedGuest(app: App, network: Network) {
	const caseId = await acceptedCase(app, network);
	const {
		guests: [respondent]
	} = await mediationWithGuests(app, network, caseId, ['respondent']);
	return { caseId, participantId: respondent.participantId, cookie: respondent.cookie };
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
