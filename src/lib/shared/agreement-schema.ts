import { getSchema, type AnyExtension } from '@tiptap/core';
import { StarterKit } from '@tiptap/starter-kit';

/*
 * The agreement's editor schema, apart from the rest of agreement.ts: the limits and rules there are
 * imported by every page that speaks to the server, Tiptap and ProseMirror only where a draft is edited.
 */

/**
 * The editor's extensions; the collaborative editor adds its own on top, and turns off local undo
 * history and the trailing paragraph, which every client would add on its own (a read-only one
 * too, whose change the server refuses).
 */
export function agreementExtensions(options: { collaborative: boolean }): AnyExtension[] {
	return [
		StarterKit.configure({
			heading: { levels: [1, 2, 3] },
			code: false,
			codeBlock: false,
			blockquote: false,
			horizontalRule: false,
			link: false,
			...(options.collaborative ? { undoRedo: false, trailingNode: false } : {})
		})
	];
}

export const agreementSchema = () => getSchema(agreementExtensions({ collaborative: false }));
