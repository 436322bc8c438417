import { error, json } from '@sveltejs/kit';
import { participantOf } from '#server/sessions/participant-of.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { roomIdentities } from '$lib/server/room-identities';
import { hostsRoom } from '$lib/shared/sessions';
import { AppError } from '$lib/shared/errors';
import type { RequestHandler } from './$types';

/**
 * The live state of a session's room as the media server holds it (in a cluster, the room's
 * owner's): who is in which space and which producers each one consumes. For the room's hosts, to
 * see why someone cannot hear or see another.
 */
export const GET: RequestHandler = async ({ locals, cookies, params }) => {
	for (const identity of roomIdentities(locals.actor, cookies)) {
		try {
			const { participant, session } = await participantOf(locals.app.db, params.id, identity);
			if (!hostsRoom(participant.role, session.kind)) break;
			const state = await locals.app.realtime.roomState(session.id);
			return json(state, { headers: { 'cache-control': 'no-store' } });
		} catch (e) {
			if (!(e instanceof AppError)) throw e;
		}
	}
	error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
};
