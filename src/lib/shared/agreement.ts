import type { JSONContent } from '@tiptap/core';

/**
 * The agreement document, the same in the browser's editor and on the server: headings,
 * paragraphs and numbered clauses with simple emphasis, in one Yjs XML fragment.
 */
export const AGREEMENT_FIELD = 'agreement';

/** Largest Yjs update a client may send: a pasted agreement of about 100 pages fits. */
export const MAX_DRAFT_UPDATE_BYTES = 512 * 1024;
/** Largest awareness update (cursor, selection, name). */
export const MAX_AWARENESS_BYTES = 16 * 1024;
export const MAX_COMMENT_LENGTH = 2000;
export const MAX_VERSION_NAME_LENGTH = 80;

/** What someone may do with a draft: write, comment and suggest, or only read. */
export type DraftAccess = 'edit' | 'suggest' | 'read';
/**
 * Who someone is to a draft. Mediators run it (versions, freezing, who may write); invited legal
 * experts write; parties comment and suggest, and write when the mediator allows it; the
 * committee's admins and observers read.
 */
export type DraftRole = 'mediator' | 'expert' | 'party' | 'reader';

export function draftAccess(role: DraftRole, draft: { partiesMayEdit: boolean; frozen: boolean }): DraftAccess {
	if (role === 'reader') return 'read';
	// What is frozen is what gets signed: nobody writes until the mediator unfreezes it.
	if (draft.frozen) return 'suggest';
	if (role === 'party') return draft.partiesMayEdit ? 'edit' : 'suggest';
	return 'edit';
}

/**
 * The agreement as plain text, one block per line: what is frozen, hashed and signed. It depends
 * only on the content, never on formatting, so the same wording always gives the same text.
 * Numbered clauses carry their numbers, as printed.
 */
export function canonicalText(doc: JSONContent): string {
	const lines: string[] = [];
	const inline = (node: JSONContent): string =>
		node.type === 'text'
			? (node.text ?? '')
			: node.type === 'hardBreak'
				? '\n'
				: (node.content ?? []).map(inline).join('');
	const block = (node: JSONContent, prefix: string) => {
		if (node.type === 'orderedList' || node.type === 'bulletList') {
			const start = Number(node.attrs?.start ?? 1);
			(node.content ?? []).forEach((item, index) => {
				const marker = node.type === 'orderedList' ? `${start + index}. ` : '- ';
				(item.content ?? []).forEach((child, childIndex) =>
					block(child, childIndex === 0 ? prefix + marker : prefix + ' '.repeat(marker.length))
				);
			});
			return;
		}
		if (node.type === 'listItem' || node.type === 'doc') return (node.content ?? []).forEach((c) => block(c, prefix));
		lines.push(
			(prefix + inline(node))
				.split('\n')
				.map((line) => line.replace(/\s+$/u, ''))
				.join('\n')
		);
	};
	block(doc, '');
	// Empty paragraphs are spacing, not content.
	return lines.filter((line) => line.trim() !== '').join('\n') + '\n';
}
