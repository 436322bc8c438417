import * as Y from 'yjs';
import { AppError } from '#shared/errors.ts';

export type InspectedUpdate = {
	/** The Yjs client ids whose content the update carries: whose writing it is. */
	clients: number[];
	/** Nothing to apply: no content, and no deletions but of what `deleted` has (a reader's answer to a sync step 1). */
	empty: boolean;
};

type DeleteSet = ReturnType<typeof Y.createDeleteSetFromStructStore>;

const malformed = () => new AppError('VALIDATION', { fields: { message: ['invalid'] } });

/**
 * Reads an update a client sent, before anything is stored or applied: refuses bytes that are
 * not an update, and an update that builds on content the document does not have (a gap in a
 * client's history, or an item next to one that does not exist), which Yjs would otherwise keep
 * pending for ever. `known` is the document's state vector, `deleted` its delete set.
 */
export function inspectUpdate(
	update: Uint8Array,
	known: Map<number, number>,
	deleted?: () => DeleteSet
): InspectedUpdate {
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
	// ... then that every item sits next to, and inside, content that is there. A client writes
	// only next to what it already had: its own content it builds on is older than the item
	// (Yjs would fail on anything else, after the update was stored).
	for (const struct of decoded.structs) {
		if (!(struct instanceof Y.Item)) continue;
		const exists = (id: Y.ID | null) =>
			id === null ||
			(id.clock < (reach.get(id.client) ?? 0) && (id.client !== struct.id.client || id.clock < struct.id.clock));
		const parent = struct.parent instanceof Y.ID ? struct.parent : null;
		if (!exists(struct.origin) || !exists(struct.rightOrigin) || !exists(parent)) throw malformed();
	}
	const empty = decoded.structs.length === 0 && (decoded.ds.clients.size === 0 || covered(decoded.ds, deleted));
	return { clients: [...clients], empty };
}

/**
 * Whether everything `ds` deletes is deleted already. A client's answer to the server's sync step
 * 1 always carries its whole delete set: from someone with nothing new, it changes nothing.
 */
function covered(ds: DeleteSet, deleted: (() => DeleteSet) | undefined): boolean {
	if (!deleted) return false;
	const known = deleted();
	return [...ds.clients].every(([client, ranges]) => {
		const mine = known.clients.get(client) ?? [];
		// The document's ranges are whole runs of deleted content: each deletion falls in one of them.
		return ranges.every((r) => mine.some((d) => d.clock <= r.clock && r.clock + r.len <= d.clock + d.len));
	});
}
