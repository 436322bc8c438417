import { error, fail, redirect } from '@sveltejs/kit';
import { describeInvitation } from '#server/sessions/describe-invitation.ts';
import { joinByInvitation } from '#server/sessions/join-by-invitation.ts';
import { findJoin, JOIN_COOKIE } from '#server/sessions/participant-of.ts';
import { partyTrackingToken } from '#server/sessions/party-tracking-token.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { clientOf, formAction, readForm } from '$lib/server/form-action';
import { sessionCookieOptions } from '$lib/server/session-cookie';
import { AppError } from '$lib/shared/errors';
import type { Actions, PageServerLoad } from './$types';

const roomOf = (sessionId: string) => `/sessions/${sessionId}/room`;

export const load: PageServerLoad = async ({ locals, params, cookies, setHeaders }) => {
	// The token is the key to the session: keep it out of other sites' Referer headers and out of caches.
	setHeaders({ 'referrer-policy': 'no-referrer', 'cache-control': 'private, no-store' });
	let invitation;
	try {
		invitation = await describeInvitation(locals.app.db, params.token);
	} catch (e) {
		if (e instanceof AppError && e.code === 'NOT_FOUND') error(404, { message: m.join_unknown(), code: 'NOT_FOUND' });
		throw e;
	}
	const joinToken = cookies.get(JOIN_COOKIE);
	const join = joinToken ? await findJoin(locals.app.db, joinToken) : null;
	const joinedHere = join?.participantId === invitation.participantId;
	// Opened again on the phone that already joined with it: straight back into the room.
	if (invitation.state === 'open' && joinedHere) redirect(303, roomOf(join.sessionId));
	// Only the phone that proved the PIN is shown the party's own case page (the link alone is not enough).
	const trackingToken = joinedHere ? await partyTrackingToken(locals.app.db, invitation.participantId) : null;
	const { participantId: _participant, ...shown } = invitation;
	return { invitation: shown, trackingLink: trackingToken && `/track/${trackingToken}` };
};

export const actions: Actions = {
	default: async (event) => {
		const values = await readForm(event.request);
		return formAction(values, async () => {
			const outcome = await joinByInvitation(event.locals.app, event.params.token, values, clientOf(event));
			if (outcome.joined) {
				event.cookies.set(JOIN_COOKIE, outcome.joinToken, sessionCookieOptions(event.url, outcome.expiresAt));
				redirect(303, roomOf(outcome.sessionId));
			}
			return fail(outcome.state === 'wrong_pin' ? 401 : 403, { refused: outcome });
		});
	}
};
