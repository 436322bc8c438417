import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { agreementSchema } from '../shared/agreement-schema.ts';
import { AGREEMENT_FIELD } from '../shared/agreement.ts';
import { authorship, authorsOf } from './authorship.ts';

const text = (value: string) => ({ type: 'text', text: value });

/** A draft started by one client from `content`, as the server starts it from a template. */
function started(content: object[]) {
	const doc = new Y.Doc();
	prosemirrorJSONToYXmlFragment(agreementSchema(), { type: 'doc', content }, doc.getXmlFragment(AGREEMENT_FIELD));
	return doc;
}

/** Another person's copy of `doc`, with its own client. */
function copyOf(doc: Y.Doc) {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

describe('authorship', () => {
	it('tells which client wrote each part of a block, leaving deleted text out', () => {
		const doc = started([{ type: 'paragraph', content: [text('甲方支付五千元')] }]);
		const other = copyOf(doc);
		const paragraph = other.getXmlFragment(AGREEMENT_FIELD).get(0) as Y.XmlElement;
		const line = paragraph.get(0) as Y.XmlText;
		other.transact(() => {
			line.delete(4, 2);
			line.insert(4, '八千');
			line.insert(line.length, '整');
		});
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));

		const blocks = authorship(doc.getXmlFragment(AGREEMENT_FIELD));
		expect(blocks).toEqual([
			{
				kind: 'paragraph',
				level: 0,
				marker: '',
				depth: 0,
				runs: [
					{ client: doc.clientID, text: '甲方支付' },
					{ client: other.clientID, text: '八千' },
					{ client: doc.clientID, text: '元' },
					{ client: other.clientID, text: '整' }
				]
			}
		]);
		expect(authorsOf(blocks)).toEqual([doc.clientID, other.clientID]);
	});

	it('reads headings with their level, numbered clauses with their numbers, and marks as plain text', () => {
		const doc = started([
			{ type: 'heading', attrs: { level: 1 }, content: [text('人民调解协议书')] },
			{
				type: 'orderedList',
				attrs: { start: 1 },
				content: [
					{ type: 'listItem', content: [{ type: 'paragraph', content: [text('第一条')] }] },
					{
						type: 'listItem',
						content: [
							{
								type: 'paragraph',
								content: [text('第二条'), { type: 'hardBreak' }, { ...text('加粗'), marks: [{ type: 'bold' }] }]
							}
						]
					}
				]
			}
		]);
		const blocks = authorship(doc.getXmlFragment(AGREEMENT_FIELD));
		expect(blocks.map(({ kind, level, marker, depth }) => ({ kind, level, marker, depth }))).toEqual([
			{ kind: 'heading', level: 1, marker: '', depth: 0 },
			{ kind: 'paragraph', level: 0, marker: '1. ', depth: 1 },
			{ kind: 'paragraph', level: 0, marker: '2. ', depth: 1 }
		]);
		expect(blocks[2].runs).toEqual([{ client: doc.clientID, text: '第二条\n加粗' }]);
	});
});
