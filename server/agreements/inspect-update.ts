import * as Y from 'yjs';
import { agreementSchema } from '#shared/agreement-schema.ts';
import { AGREEMENT_FIELD } from '#shared/agreement.ts';
import type { DraftMeasure } from '#shared/draft-limits.ts';
import { AppError } from '#shared/errors.ts';

export type InspectedUpdate = {
	/** The Yjs client ids whose content the update carries: whose writing it is. */
	clients: number[];
	/** Nothing to apply: no content, and no deletions but of what the document has deleted (a reader's answer to a sync step 1). */
	empty: boolean;
	/**
	 * What the update adds, in the terms of the draft's limits: how many elements and texts, how
	 * deep the deepest of them sits, and how long the longest text it writes in will be.
	 */
	growth: Omit<DraftMeasure, 'bytes'>;
};

type DeleteSet = ReturnType<typeof Y.createDeleteSetFromStructStore>;

const malformed = () => new AppError('VALIDATION', { fields: { message: ['invalid'] } });

/**
 * Reads an update a client sent, before anything is stored or applied: refuses bytes that are
 * not an update, an update that builds on content the document does not have (a gap in a
 * client's history, or an item next to one that does not exist), which Yjs would otherwise keep
 * pending for ever, and content the agreement's editor could not show (see `checkShape`).
 */
export function inspectUpdate(update: Uint8Array, doc: Y.Doc): InspectedUpdate {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch {
		throw malformed();
	}
	const known = Y.decodeStateVector(Y.encodeStateVector(doc));
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
	const growth = checkShape(byClock, doc, known);
	const empty =
		decoded.structs.length === 0 &&
		(decoded.ds.clients.size === 0 || covered(decoded.ds, Y.createDeleteSetFromStructStore(doc.store)));
	return { clients: [...clients], empty, growth };
}

/**
 * Where an item goes: into the agreement, an element, a text, or somewhere gone (it ends up
 * collected); inside how many elements, and the item of the type holding it (none in the agreement).
 */
type Place = {
	kind: 'fragment' | 'element' | 'text' | 'gone';
	key: string | null;
	depth: number;
	holder: Y.Item | null;
};

const GONE: Place = { kind: 'gone', key: null, depth: 0, holder: null };

/** How many elements the document's item sits in. */
function depthInDoc(item: Y.Item): number {
	let depth = 0;
	let type = item.parent as Y.AbstractType<unknown>;
	while (type._item) {
		depth++;
		type = type._item.parent as Y.AbstractType<unknown>;
	}
	return depth;
}

let schemaNames: { nodes: Set<string>; marks: Set<string> } | undefined;
const schema = () =>
	(schemaNames ??= (() => {
		const { nodes, marks } = agreementSchema();
		// The document itself and its text are not elements of it.
		const elements = Object.keys(nodes).filter((name) => name !== 'doc' && name !== 'text');
		return { nodes: new Set(elements), marks: new Set(Object.keys(marks)) };
	})());

/**
 * Everything new goes where the editor can show it, as y-prosemirror writes it: elements of the
 * schema's nodes in the agreement and its elements, texts in elements, characters and marks of the
 * schema in texts, plain values as element attributes. Anything else (another root, an array, a
 * map, binary data, a subdocument) would be stored and break every later reading of the draft.
 * Returns what the update adds (`structs` sorted by client and clock).
 */
function checkShape(
	structs: (Y.Item | Y.GC | Y.Skip)[],
	doc: Y.Doc,
	known: Map<number, number>
): InspectedUpdate['growth'] {
	const places = new Map<Y.Item, Place>();
	const byClient = Map.groupBy(structs, (s) => s.id.client);
	/** The update's struct holding `id`: by halves, as a pasted document has thousands. */
	const inUpdate = (id: Y.ID) => {
		const own = byClient.get(id.client) ?? [];
		let [low, high] = [0, own.length - 1];
		while (low <= high) {
			const middle = (low + high) >> 1;
			const { clock } = own[middle].id;
			if (id.clock < clock) high = middle - 1;
			else if (id.clock >= clock + own[middle].length) low = middle + 1;
			else return own[middle];
		}
		return undefined;
	};
	const inDoc = (id: Y.ID) => (id.clock < (known.get(id.client) ?? 0) ? Y.getItem(doc.store, id) : undefined);
	const typeKind = (content: unknown): Place['kind'] | null => {
		if (!(content instanceof Y.ContentType)) return null;
		if (content.type instanceof Y.XmlElement) return 'element';
		if (content.type instanceof Y.XmlText) return 'text';
		return null;
	};
	/** What a reference to `id` as a parent makes of the item: inside that type. */
	const inside = (id: Y.ID, visiting: Set<Y.Item>): Place => {
		const mine = inUpdate(id);
		const struct = mine ?? inDoc(id);
		if (!(struct instanceof Y.Item) || struct.deleted) return GONE;
		const kind = typeKind(struct.content);
		if (!kind) throw malformed();
		if (!mine) return { kind, key: null, depth: depthInDoc(struct) + 1, holder: struct };
		const around = placeOf(struct, visiting);
		return around.kind === 'gone' ? GONE : { kind, key: null, depth: around.depth + 1, holder: struct };
	};
	/** An item next to `id` goes where that one is. */
	const beside = (id: Y.ID, visiting: Set<Y.Item>): Place => {
		const mine = inUpdate(id);
		if (mine instanceof Y.Item) return placeOf(mine, visiting);
		if (mine) return GONE;
		const there = inDoc(id);
		if (!(there instanceof Y.Item) || !there.parent) return GONE;
		const parent = there.parent as Y.AbstractType<unknown>;
		if (parent._item) return { ...inside(parent._item.id, visiting), key: there.parentSub };
		if (doc.share.get(AGREEMENT_FIELD) !== parent) return GONE;
		return { kind: 'fragment', key: there.parentSub, depth: 0, holder: null };
	};
	const placeOf = (item: Y.Item, visiting = new Set<Y.Item>()): Place => {
		const found = places.get(item);
		if (found) return found;
		if (visiting.has(item)) throw malformed();
		visiting.add(item);
		let place: Place;
		if (typeof item.parent === 'string') {
			if (item.parent !== AGREEMENT_FIELD) throw malformed();
			place = { kind: 'fragment', key: item.parentSub, depth: 0, holder: null };
		} else if (item.parent instanceof Y.ID) place = { ...inside(item.parent, visiting), key: item.parentSub };
		else if (item.origin) place = beside(item.origin, visiting);
		else if (item.rightOrigin) place = beside(item.rightOrigin, visiting);
		else throw malformed();
		places.set(item, place);
		return place;
	};
	const growth = { depth: 0, nodes: 0, textLength: 0 };
	/** Characters written into each text, by the item holding it. */
	const written = new Map<Y.Item, number>();
	for (const struct of structs) {
		if (!(struct instanceof Y.Item)) continue;
		const { kind, key, depth, holder } = placeOf(struct);
		const content = struct.content;
		if (kind === 'gone' || content instanceof Y.ContentDeleted) continue;
		const fits =
			key !== null
				? kind === 'element' && content instanceof Y.ContentAny
				: kind === 'text'
					? content instanceof Y.ContentString ||
						(content instanceof Y.ContentFormat && schema().marks.has(content.key))
					: (kind === 'element' && typeKind(content) === 'text') ||
						(typeKind(content) === 'element' &&
							schema().nodes.has(((content as Y.ContentType).type as Y.XmlElement).nodeName));
		if (!fits) throw malformed();
		if (content instanceof Y.ContentType) {
			growth.nodes++;
			growth.depth = Math.max(growth.depth, depth);
		} else if (kind === 'text' && holder && content instanceof Y.ContentString) {
			// The text's length so far: a text new in the update is not in the document yet, and has none.
			const text = (holder.content as Y.ContentType).type as Y.XmlText;
			const length = (written.get(holder) ?? (text.doc ? text.length : 0)) + content.getLength();
			written.set(holder, length);
			growth.textLength = Math.max(growth.textLength, length);
		}
	}
	return growth;
}

/**
 * Whether everything `ds` deletes is deleted already. A client's answer to the server's sync step
 * 1 always carries its whole delete set: from someone with nothing new, it changes nothing.
 */
function covered(ds: DeleteSet, known: DeleteSet): boolean {
	return [...ds.clients].every(([client, ranges]) => {
		const mine = known.clients.get(client) ?? [];
		// The document's ranges are whole runs of deleted content: each deletion falls in one of them.
		return ranges.every((r) => mine.some((d) => d.clock <= r.clock && r.clock + r.len <= d.clock + d.len));
	});
}
