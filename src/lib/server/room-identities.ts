import type { Cookies } from '@sveltejs/kit';
import { JOIN_COOKIE, type RoomIdentity } from '#server/sessions/participant-of.ts';
import type { Actor } from '$lib/shared/roles';

/**
 * Who a request may be in a session's room as: the account first, then the
 * invitation's join cookie, since one browser may hold both.
 */
export function roomIdentities(actor: Actor | null, cookies: Cookies): RoomIdentity[] {
	const joinToken = cookies.get(JOIN_COOKIE);
	return [...(actor ? [{ actor }] : []), ...(joinToken ? [{ joinToken }] : [])];
}
