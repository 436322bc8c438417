import { error, redirect } from '@sveltejs/kit';
import { participantOf } from '#server/sessions/participant-of.ts';
import { partyTrackingToken } from '#server/sessions/party-tracking-token.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { roomIdentities } from '$lib/server/room-identities';
import { AppError } from '$lib/shared/errors';
import type { PageServerLoad } from './$types';

/** Why someone is not let in, as a page they can act on. */
function refuse(e: AppError): never {
	if (e.code === 'UNAUTHENTICATED') error(401, { message: m.room_join_expired(), code: e.code });
	if (e.code === 'FORBIDDEN') error(403, { message: m.error_forbidden(), code: e.code });
	if (e.code === 'CONFLICT') error(409, { message: m.room_not_open(), code: e.code });
	error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
}

/**
 * The room of a session, for its participants only: by their account, or by
 * the join cookie of an invitation. The account is asked first; a browser
 * holding both is let in by the invitation when the account is not on the list.
 * Opening the page records nothing: the join is recorded when the room's socket joins.
 */
export const load: PageServerLoad = async (event) => {
	const { locals, cookies, params, setHeaders, url } = event;
	setHeaders({ 'cache-control': 'private, no-store' });
	const identities = roomIdentities(locals.actor, cookies);
	if (!identities.length) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	let refusal: AppError | undefined;
	for (const identity of identities) {
		try {
			const { participant, session } = await participantOf(locals.app.db, params.id, identity);
			const trackingToken = await partyTrackingToken(locals.app.db, participant.id);
			return {
				participant: { role: participant.role, displayName: participant.displayName },
				trackingLink: trackingToken && `/track/${trackingToken}`,
				session: {
					id: session.id,
					kind: session.kind,
					status: session.status,
					scheduledFor: session.scheduledFor,
					title: session.title,
					caseId: session.caseId,
					caseNumber: session.caseNumber
				}
			};
		} catch (e) {
			if (!(e instanceof AppError)) throw e;
			refusal ??= e;
		}
	}
	refuse(refusal!);
};
