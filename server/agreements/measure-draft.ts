import * as Y from 'yjs';
import { AGREEMENT_FIELD } from '#shared/agreement.ts';
import { DOCUMENT_LIMITS, DRAFT_LIMITS, type DraftMeasure } from '#shared/draft-limits.ts';
import { AppError } from '#shared/errors.ts';
import type { InspectedUpdate } from './inspect-update.ts';

/** A draft's document against its limits, walked without recursion: a hostile one nests thousands deep. */
export function measureDraft(doc: Y.Doc): DraftMeasure {
	const measure = { depth: 0, nodes: 0, textLength: 0, bytes: Y.encodeStateAsUpdate(doc).length };
	const containers: [Y.XmlFragment | Y.XmlElement, number][] = [[doc.getXmlFragment(AGREEMENT_FIELD), 0]];
	for (let next = containers.pop(); next; next = containers.pop()) {
		const [container, depth] = next;
		for (const node of container.toArray()) {
			measure.nodes++;
			measure.depth = Math.max(measure.depth, depth);
			if (node instanceof Y.XmlText) measure.textLength = Math.max(measure.textLength, node.length);
			else if (node instanceof Y.XmlElement) containers.push([node, depth + 1]);
		}
	}
	return measure;
}

const limitPassed = (measure: DraftMeasure) => DOCUMENT_LIMITS.find((limit) => measure[limit] > DRAFT_LIMITS[limit]);
const refused = (limit: string) => new AppError('DRAFT_LIMIT', { fields: { draft: [limit] } });

/**
 * The draft's measure once `update` is in; DRAFT_LIMIT if that passes a limit. Usually reckoned
 * from the measure before (`known`, else measured now) and what the update adds, which can only
 * overstate it, as deletions are not subtracted; near a limit, measured exactly on a copy with
 * the update in.
 */
export function measureAfter(
	doc: Y.Doc,
	known: DraftMeasure | null,
	update: Uint8Array,
	growth: InspectedUpdate['growth']
): DraftMeasure {
	// Elements never move: those the update adds sit as deep in the draft (and are not worth a copy).
	if (growth.depth > DRAFT_LIMITS.depth) throw refused('depth');
	const before = known ?? measureDraft(doc);
	const reckoned = {
		depth: Math.max(before.depth, growth.depth),
		nodes: before.nodes + growth.nodes,
		textLength: Math.max(before.textLength, growth.textLength),
		bytes: before.bytes + update.length
	};
	if (!limitPassed(reckoned)) return reckoned;
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	Y.applyUpdate(copy, update);
	const exact = measureDraft(copy);
	copy.destroy();
	const passed = limitPassed(exact);
	if (passed) throw refused(passed);
	return exact;
}
