import type { JSONContent } from '@tiptap/core';
import { isTemplatePlaceholder, PLACEHOLDER_PATTERN, type TemplatePlaceholder } from '#shared/agreement-template.ts';

export type PlaceholderValues = Record<TemplatePlaceholder, string>;

const placeholders = () => new RegExp(PLACEHOLDER_PATTERN.source, 'g');
const linesOf = (value: string) =>
	value
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter(Boolean);

/** The one placeholder a block holds and nothing else (`{{respondents}}` on a line of its own), if so. */
function lonePlaceholder(block: JSONContent): { name: TemplatePlaceholder; marks?: JSONContent['marks'] } | null {
	const [only, ...rest] = block.content ?? [];
	if (!only || rest.length > 0 || only.type !== 'text') return null;
	const name = new RegExp(`^\\s*${PLACEHOLDER_PATTERN.source}\\s*$`).exec(only.text ?? '')?.[1];
	return name && isTemplatePlaceholder(name) ? { name, marks: only.marks } : null;
}

/** A text node with its placeholders filled: a value of several lines is broken with hard breaks. */
function fillText(node: JSONContent, values: PlaceholderValues): JSONContent[] {
	const filled = (node.text ?? '').replace(placeholders(), (whole, name: string) =>
		isTemplatePlaceholder(name) ? linesOf(values[name]).join('\n') : whole
	);
	return filled.split('\n').flatMap((line, index) => [
		...(index > 0 ? [{ type: 'hardBreak' }] : []),
		// ProseMirror has no empty text nodes.
		...(line ? [{ ...node, text: line }] : [])
	]);
}

function fillNode(node: JSONContent, values: PlaceholderValues): JSONContent[] {
	if (node.type === 'text') return fillText(node, values);
	const lone = lonePlaceholder(node);
	if (lone) {
		// A block that is only a list (the respondents, the facts in paragraphs) becomes a block per line.
		const lines = linesOf(values[lone.name]);
		const { content: _content, ...shell } = node;
		if (lines.length === 0) return [shell];
		return lines.map((line) => ({
			...shell,
			content: [{ type: 'text', text: line, ...(lone.marks && { marks: lone.marks }) }]
		}));
	}
	if (!node.content) return [node];
	return [{ ...node, content: node.content.flatMap((child) => fillNode(child, values)) }];
}

/**
 * The template with the case's data in place of its placeholders. A placeholder the app does not
 * know (a typing mistake, `{{申请人}}`) stays as written, so the mediator sees it and fills it in
 * rather than finding text silently gone.
 */
export function fillTemplate(template: JSONContent, values: PlaceholderValues): JSONContent {
	return fillNode(template, values)[0];
}

/** The placeholders a template names that the app does not know, each once, in order of appearance. */
export function unknownPlaceholders(template: JSONContent): string[] {
	const found = new Set<string>();
	const visit = (node: JSONContent) => {
		for (const [, name] of (node.text ?? '').matchAll(placeholders()))
			if (!isTemplatePlaceholder(name)) found.add(name);
		node.content?.forEach(visit);
	};
	visit(template);
	return [...found];
}
