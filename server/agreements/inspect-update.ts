import * as Y from 'yjs';
import { AppError } from '#shared/errors.ts';

export type InspectedUpdate = {
	/** The Yjs client ids whose content the update carries: whose writing it is. */
	clients: number[];
	/** Nothing to apply: no content and no deletions (a reader's answer to a sync step 1). */
	empty: boolean;
};

const malformed = () => new AppError('VALIDATION', { fields: { message: ['invalid'] } });

/**
 * Reads an update a client sent, before anything is stored or applied: refuses bytes that are
 * not an update, and an update that builds on content the document does not have (a gap in a
 * client's history, or an item next to one that does not exist), which Yjs would otherwise keep
 * pending for ever. `known` is the document's state vector.
 */
export function inspectUpdate(update: Uint8Array, known: Map<number, number>): InspectedUpdate {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch {
		throw malformed();
	}
	// First what the document will have once the update is in, client by client, with no gaps ...
	const reach = new Map(known);
	const clients = new Set<number>();
	const byClock = [...decoded.structs].sort((a, b) => a.id.client - b.id.client || a.id.clock - b.id.clock);
	for (const struct of byClock) {
		// A skip marks content the update leaves out: it adds nothing to build on.
		if (struct instanceof Y.Skip) continue;
		const { client, clock } = struct.id;
		if (!Number.isSafeInteger(client) || !Number.isSafeInteger(clock) || struct.length < 1) throw malformed();
		if (clock > (reach.get(client) ?? 0)) throw malformed();
		clients.add(client);
		reach.set(client, Math.max(reach.get(client) ?? 0, clock + struct.length));
	}
	// ... then that every item sits next to, and inside, content that is there.
	const exists = (id: Y.ID | null) => id === null || id.clock < (reach.get(id.client) ?? 0);
	for (const struct of decoded.structs) {
		if (!(struct instanceof Y.Item)) continue;
		const parent = struct.parent instanceof Y.ID ? struct.parent : null;
		if (!exists(struct.origin) || !exists(struct.rightOrigin) || !exists(parent)) throw malformed();
	}
	return { clients: [...clients], empty: decoded.structs.length === 0 && decoded.ds.clients.size === 0 };
}
