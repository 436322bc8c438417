import * as Y from 'yjs';

/** A stretch of text written with one Yjs client. */
export type AuthoredRun = { client: number; text: string };
/** One block of the agreement as it reads, with who wrote each part of it. */
export type AuthoredBlock = {
	kind: 'heading' | 'paragraph';
	/** The heading's level; 0 for a paragraph. */
	level: number;
	/** How the block is numbered or bulleted when it is in a list ("1. ", "- "), else "". */
	marker: string;
	/** How many lists deep the block is. */
	depth: number;
	runs: AuthoredRun[];
};

type Context = { marker: string; depth: number };

/**
 * Walks the draft's XML fragment as Yjs holds it and tells, for every character still in the
 * text, the Yjs client that inserted it. Deleted text and formatting marks are left out; a hard
 * break reads as a line break of the run around it.
 */
export function authorship(fragment: Y.XmlFragment): AuthoredBlock[] {
	const blocks: AuthoredBlock[] = [];

	const inline = (node: Y.XmlElement | Y.XmlText | Y.XmlHook, runs: AuthoredRun[]) => {
		if (node instanceof Y.XmlText) {
			for (let item = node._start; item; item = item.right) {
				if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
				push(runs, item.id.client, item.content.str);
			}
		} else if (node instanceof Y.XmlElement) {
			if (node.nodeName === 'hardBreak' && node._item) push(runs, node._item.id.client, '\n');
			else for (const child of node.toArray()) inline(child, runs);
		}
	};

	const block = (node: Y.XmlElement | Y.XmlText | Y.XmlHook, context: Context) => {
		if (!(node instanceof Y.XmlElement)) return;
		const name = node.nodeName;
		if (name === 'orderedList' || name === 'bulletList') {
			const start = Number(node.getAttribute('start') ?? 1);
			node.toArray().forEach((item, index) => {
				if (!(item instanceof Y.XmlElement)) return;
				const marker = name === 'orderedList' ? `${start + index}. ` : '- ';
				item
					.toArray()
					.forEach((child, childIndex) =>
						block(child, { marker: childIndex === 0 ? marker : '', depth: context.depth + 1 })
					);
			});
			return;
		}
		if (name === 'listItem') {
			for (const child of node.toArray()) block(child, context);
			return;
		}
		const runs: AuthoredRun[] = [];
		for (const child of node.toArray()) inline(child, runs);
		blocks.push({
			kind: name === 'heading' ? 'heading' : 'paragraph',
			level: name === 'heading' ? Number(node.getAttribute('level') ?? 1) : 0,
			marker: context.marker,
			depth: context.depth,
			runs
		});
	};

	for (const node of fragment.toArray()) block(node, { marker: '', depth: 0 });
	return blocks;
}

function push(runs: AuthoredRun[], client: number, text: string) {
	const last = runs.at(-1);
	if (last?.client === client) last.text += text;
	else runs.push({ client, text });
}

/** The clients that wrote something still in the text, in order of first appearance. */
export function authorsOf(blocks: AuthoredBlock[]): number[] {
	return [...new Set(blocks.flatMap((block) => block.runs.map((run) => run.client)))];
}
