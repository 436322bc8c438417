import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { acknowledgeNotice } from '#server/notice/acknowledge-notice.ts';
import { noticeForCase } from '#server/notice/current-notice.ts';
import { partiesAwaitingNotice } from '#server/notice/parties-awaiting-notice.ts';
import { participantOf } from '#server/sessions/participant-of.ts';
import { partyTrackingToken } from '#server/sessions/party-tracking-token.ts';
import { m } from '$lib/i18n/paraglide/messages';
import { clientOf, formAction, readForm } from '$lib/server/form-action';
import { roomIdentities } from '$lib/server/room-identities';
import { AppError } from '$lib/shared/errors';
import type { Actions, PageServerLoad } from './$types';

/** Why someone is not let in, as a page they can act on. */
function refuse(e: AppError): never {
	if (e.code === 'UNAUTHENTICATED') error(401, { message: m.room_join_expired(), code: e.code });
	if (e.code === 'FORBIDDEN') error(403, { message: m.error_forbidden(), code: e.code });
	if (e.code === 'CONFLICT') error(409, { message: m.room_not_open(), code: e.code });
	error(404, { message: m.error_not_found(), code: 'NOT_FOUND' });
}

/**
 * Who the request is in the session's room: by their account, or by the join cookie of an
 * invitation. The account is asked first; a browser holding both is let in by the invitation
 * when the account is not on the list.
 */
async function entryOf({ locals, cookies, params, url }: RequestEvent<{ id: string }>) {
	const identities = roomIdentities(locals.actor, cookies);
	if (!identities.length) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	let refusal: AppError | undefined;
	for (const identity of identities) {
		try {
			return { identity, ...(await participantOf(locals.app.db, params.id, identity)) };
		} catch (e) {
			if (!(e instanceof AppError)) throw e;
			refusal ??= e;
		}
	}
	refuse(refusal!);
}

/**
 * The room of a session, for its participants only. A party of a mediation reads the rights and
 * duties notice in force first, until they have acknowledged it. Opening the page records
 * nothing: the join is recorded when the room's socket joins.
 */
export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'cache-control': 'private, no-store' });
	const { participant, session } = await entryOf(event);
	const { db } = event.locals.app;
	const [trackingToken, awaiting] = await Promise.all([
		partyTrackingToken(db, participant.id),
		partiesAwaitingNotice(db, session)
	]);
	const reads = participant.role === 'party' && session.kind === 'mediation';
	return {
		participant: { role: participant.role, displayName: participant.displayName },
		trackingLink: trackingToken && `/track/${trackingToken}`,
		notice: reads ? { ...(await noticeForCase(db, session.caseId)), pending: awaiting.has(participant.id) } : null,
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
};

export const actions: Actions = {
	/** A party acknowledges the notice they read, with their choice of a public or closed session. */
	acknowledgeNotice: async (event) => {
		const entry = await entryOf(event);
		const values = await readForm(event.request);
		return formAction(values, async () => ({
			done: 'notice' as const,
			...(await acknowledgeNotice(event.locals.app, entry, entry.identity, values, clientOf(event).ip))
		}));
	}
};
