import type { JSONContent } from '@tiptap/core';

/**
 * The agreement document, the same in the browser's editor and on the server: headings,
 * paragraphs and numbered clauses with simple emphasis, in one Yjs XML fragment.
 */
export const AGREEMENT_FIELD = 'agreement';

/** What someone may do with a draft: write, comment and suggest, or only read. */
export type DraftAccess = 'edit' | 'suggest' | 'read';
/**
 * Who someone is to a draft. Mediators run it (versions, freezing, who may write); invited legal
 * experts write; parties comment and suggest, and write when the mediator allows it; the
 * committee's admins and observers read. A session's record is written by its mediators and its
 * recorder (记录人); everyone else reads it.
 */
export type DraftRole = 'mediator' | 'recorder' | 'expert' | 'party' | 'reader';

/** Who may write (`allowed`: when the mediator lets parties edit) and who may comment. */
export const DRAFT_RIGHTS = {
	mediator: { edit: 'always', comment: true },
	recorder: { edit: 'always', comment: true },
	expert: { edit: 'always', comment: true },
	party: { edit: 'allowed', comment: true },
	reader: { edit: 'never', comment: false }
} as const satisfies Record<DraftRole, { edit: 'always' | 'allowed' | 'never'; comment: boolean }>;

export function draftAccess(role: DraftRole, draft: { partiesMayEdit: boolean; frozen: boolean }): DraftAccess {
	const { edit, comment } = DRAFT_RIGHTS[role];
	// What is frozen is what gets signed: nobody writes until the mediator unfreezes it.
	const writes = !draft.frozen && (edit === 'always' || (edit === 'allowed' && draft.partiesMayEdit));
	if (writes) return 'edit';
	return comment ? 'suggest' : 'read';
}

/**
 * One printed block of the agreement: a heading (its level) or a paragraph, with the clause
 * numbers and indentation of the lists it sits in as `prefix` ("2. ", "   - "). Its text keeps
 * hard breaks as line breaks.
 */
export type AgreementBlock = { prefix: string; text: string; heading?: number };

/** The agreement's blocks in order, as the editor holds them; empty paragraphs are spacing, not content. */
export function agreementBlocks(doc: JSONContent): AgreementBlock[] {
	const blocks: AgreementBlock[] = [];
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
		const lines = (prefix + inline(node)).split('\n').map((line) => line.replace(/\s+$/u, ''));
		if (lines.every((line) => line.trim() === '')) return;
		const line = lines.join('\n');
		// An empty list item keeps its number without the space after it.
		const cut = line.startsWith(prefix) ? prefix.length : prefix.trimEnd().length;
		const printed = { prefix: line.slice(0, cut), text: line.slice(cut) };
		blocks.push(node.type === 'heading' ? { ...printed, heading: Number(node.attrs?.level ?? 1) } : printed);
	};
	block(doc, '');
	return blocks;
}

/**
 * The agreement as plain text, one block per line: what is frozen, hashed and signed. It depends
 * only on the content, never on formatting, so the same wording always gives the same text.
 * Numbered clauses carry their numbers, as printed.
 */
export function canonicalText(doc: JSONContent): string {
	return agreementBlocks(doc)
		.map((block) => block.prefix + block.text)
		.join('\n')
		.concat('\n');
}
