import * as decoding from 'lib0/decoding';
import {
	applyAwarenessUpdate,
	encodeAwarenessUpdate,
	modifyAwarenessUpdate,
	removeAwarenessStates
} from 'y-protocols/awareness';
import { DRAFT_LIMITS } from '#shared/draft-limits.ts';
import { AppError } from '#shared/errors.ts';
import type { DraftAuthor } from './draft-role.ts';
import type { LiveDraft } from './draft-store.ts';

/**
 * Who is in a draft, and where their cursor is: y-protocols awareness, each Yjs client id's
 * presence belonging to the connection that brought it in.
 */

/** Who shows a presence: their connection, who they are, and their cursor's colour. */
export type PresenceSender = { connection: string; author: DraftAuthor; color: string };

/** The Yjs client ids an awareness update speaks for. */
function clientsOf(update: Uint8Array): number[] {
	const decoder = decoding.createDecoder(update);
	const clients: number[] = [];
	for (let count = decoding.readVarUint(decoder); count > 0; count--) {
		clients.push(decoding.readVarUint(decoder));
		decoding.readVarUint(decoder);
		decoding.readVarString(decoder);
	}
	return clients;
}

/**
 * Applies someone's presence and returns it as the others are to see it: under the name the
 * server knows them by, whatever their client says. A connection sets and clears only client
 * ids it brought in, and a few: not someone else's (their presence here or in another process,
 * or a client id they wrote with), unless another connection of the same person brought it in
 * (a reconnection noticed before the old connection's end).
 */
export function showPresence(draft: LiveDraft, update: Uint8Array, sender: PresenceSender): Uint8Array {
	let clients: number[];
	let shown: Uint8Array;
	try {
		clients = clientsOf(update);
		const user = { name: sender.author.name, color: sender.color };
		shown = modifyAwarenessUpdate(update, (state) => (state === null ? null : { ...state, user }));
	} catch {
		throw new AppError('VALIDATION', { fields: { update: ['invalid'] } });
	}
	const own = new Set(clients);
	for (const [client, { connection }] of draft.presence) if (connection === sender.connection) own.add(client);
	if (own.size > DRAFT_LIMITS.presenceClients) throw new AppError('VALIDATION', { fields: { update: ['too_many'] } });
	const present = draft.awareness.getStates();
	for (const client of clients) {
		const whose = draft.presence.get(client)?.author ?? draft.authors.get(client)?.key;
		if (whose ? whose !== sender.author.key : present.has(client)) throw new AppError('FORBIDDEN');
	}
	for (const client of clients)
		draft.presence.set(client, { connection: sender.connection, author: sender.author.key });
	applyAwarenessUpdate(draft.awareness, shown, sender.connection);
	return shown;
}

/** The connection left: the presence it brought in goes. Returns the update that tells so, if there was any. */
export function hidePresence(draft: LiveDraft, connection: string): Uint8Array | null {
	const clients = [...draft.presence].filter(([, owner]) => owner.connection === connection).map(([client]) => client);
	if (!clients.length) return null;
	for (const client of clients) draft.presence.delete(client);
	removeAwarenessStates(draft.awareness, clients, 'left');
	return encodeAwarenessUpdate(draft.awareness, clients);
}
