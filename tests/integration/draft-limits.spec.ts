/**
 * What a draft may hold (`DRAFT_LIMITS`), checked against the draft as each update would leave
 * it: a hostile update nesting list items 12,000 deep, nesting grown an update at a time, too many
 * paragraphs, a paragraph too long, a draft too large. Each is refused as DRAFT_LIMIT with nothing
 * stored, while a change that stays within them is taken even where what it adds alone would
 * not fit; and the draft still versions, restores and freezes. Drafts nobody has open leave memory.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, vi } from 'vitest';
import * as Y from 'yjs';
import { DraftStore } from '#server/agreements/draft-store.ts';
import type { App } from '#server/app.ts';
import { registerCase } from '#server/cases/register-case.ts';
import { DRAFT_LIMITS } from '#shared/draft-limits.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { intakeForm } from '../support/case-network.ts';
import {
	DraftClient,
	opened,
	paragraph,
	paragraphText,
	roundTrip,
	sideClient,
	storedUpdates,
	test,
	type NewClient
} from '../support/draft-client.ts';
import { codeOf, connected, replyOf, type ClientSocket } from '../support/socket-client.ts';

const LIMIT_REFUSAL = (limit: string) => ({ ok: false, error: { code: 'DRAFT_LIMIT', fields: { draft: [limit] } } });

/**
 * An update written by hand (Yjs update format v1), as an attacker would: `depth` elements of one
 * client, bullet lists and list items by turns, each the first child of the one before, the
 * outermost at the start of the agreement.
 */
function nestedUpdate(client: number, depth: number): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint(e, depth);
	encoding.writeVarUint(e, client);
	encoding.writeVarUint(e, 0);
	for (let clock = 0; clock < depth; clock++) {
		// ContentType, placed by its parent alone.
		encoding.writeUint8(e, 7);
		if (clock === 0) {
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, 'agreement');
		} else {
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, client);
			encoding.writeVarUint(e, clock - 1);
		}
		// An XML element, and its name.
		encoding.writeVarUint(e, 3);
		encoding.writeVarString(e, clock % 2 ? 'listItem' : 'bulletList');
	}
	encoding.writeVarUint(e, 0);
	return encoding.toUint8Array(e);
}

/** `levels` elements nested in `into`, an element at a time (the way a client would, never all at once). */
function nest(into: Y.XmlFragment | Y.XmlElement, levels: number): Y.XmlElement {
	let container = into;
	for (let level = 0; level < levels; level++) {
		const element = new Y.XmlElement(level % 2 ? 'listItem' : 'bulletList');
		container.push([element]);
		container = element;
	}
	return container as Y.XmlElement;
}

const paragraphs = (count: number, marker: string) =>
	Array.from({ length: count }, (_, i) => paragraph(`${marker}${i}`));

/** The draft's state on the server, in the database, and what the other editor heard. */
async function unchanged(app: App, watcher: DraftClient) {
	await roundTrip(watcher.socket);
	const { doc } = await app.drafts.live(watcher.draftId);
	return {
		state: Y.encodeStateVector(doc),
		rows: (await storedUpdates(app, watcher.draftId)).length,
		heard: watcher.received
	};
}

async function editors(client: NewClient, world: { cookies: Record<string, string>; caseId: string }) {
	const mediator = await opened(client, world.cookies.mediator, world.caseId);
	const expert = await opened(client, world.cookies.expert, world.caseId);
	return [mediator, expert] as const;
}

describe('draft limits', () => {
	test('a hostile update nesting list items 12,000 deep is refused; the draft still versions, restores and freezes', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const { draftId } = mediator;
		const before = await unchanged(app, expert);
		const hostile = nestedUpdate(424_242, 12_000);
		// The attack as it was found: about 234 KB, well under the size of an update.
		expect(hostile.length).toBeGreaterThan(200_000);
		expect(hostile.length).toBeLessThan(DRAFT_LIMITS.updateBytes);
		expect(await mediator.send(hostile)).toEqual(LIMIT_REFUSAL('depth'));
		expect(await unchanged(app, expert)).toEqual(before);

		expect((await mediator.append('【第一稿】')).ok).toBe(true);
		const first = await ask(mediator.socket, 'draft:saveVersion', { draftId, name: '第一稿' });
		expect((await mediator.append('【之后】')).ok).toBe(true);
		await ask(mediator.socket, 'draft:restoreVersion', { draftId, versionId: first.id });
		const frozen = await ask(mediator.socket, 'draft:freeze', { draftId, versionId: first.id });
		expect(frozen.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(DraftStore.contentOf((await app.drafts.live(draftId)).doc).text).toBe(first.text);
	});

	test('nesting grown an update at a time stops at the limit', async ({ app, world, client }) => {
		const [mediator, expert] = await editors(client, world);
		let deepest: Y.XmlElement | undefined;
		const nested = await mediator.edit((f) => {
			deepest = nest(f, DRAFT_LIMITS.depth);
		});
		expect(nested.ok).toBe(true);
		// One level more is still within it (the outermost sits in no element) ...
		expect((await mediator.edit(() => nest(deepest!, 1))).ok).toBe(true);
		const before = await unchanged(app, expert);
		// ... and the next is not.
		const side = sideClient(mediator);
		const innermost = (doc: Y.Doc) => {
			const fragment = doc.getXmlFragment('agreement');
			let node = fragment.get(fragment.length - 1) as Y.XmlElement;
			while (node.length) node = node.get(0) as Y.XmlElement;
			return node;
		};
		expect(await side.send(side.change((_, doc) => nest(innermost(doc), 1))!)).toEqual(LIMIT_REFUSAL('depth'));
		expect(await unchanged(app, expert)).toEqual(before);
		expect(
			codeOf(await replyOf(ask(mediator.socket, 'draft:saveVersion', { draftId: mediator.draftId, name: '深' })))
		).toBe('ok');
	});

	test('too many paragraphs are refused; a change leaving fewer is taken, deletions counted', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		expect((await mediator.edit((f) => f.push(paragraphs(9_000, '【甲】')))).ok).toBe(true);
		const before = await unchanged(app, expert);
		// Each paragraph is two nodes (the element and its text): 2,000 more pass 20,000.
		const more = sideClient(mediator).change((f) => f.push(paragraphs(1_000, '【乙】')))!;
		expect(await mediator.send(more)).toEqual(LIMIT_REFUSAL('nodes'));
		expect(await unchanged(app, expert)).toEqual(before);
		// The same 1,000 in place of the 9,000: taken.
		const replaced = await mediator.edit((f) => {
			const start = f.toArray().findIndex((node) => node.toString().includes('【甲】0<'));
			f.delete(start, 9_000);
			f.push(paragraphs(1_000, '【乙】'));
		});
		expect(replaced.ok).toBe(true);
		const text = DraftStore.contentOf((await app.drafts.live(mediator.draftId)).doc).text;
		expect(text).toContain('【乙】999');
		expect(text).not.toContain('【甲】');
	});

	test('a paragraph too long is refused, also when it grows an update at a time', async ({ app, world, client }) => {
		const [mediator, expert] = await editors(client, world);
		expect((await mediator.append(`【长段】${'a'.repeat(150_000)}`)).ok).toBe(true);
		const before = await unchanged(app, expert);
		const longer = sideClient(mediator).change((f) => paragraphText(f, '【长段】').insert(10, 'b'.repeat(60_000)))!;
		expect(await mediator.send(longer)).toEqual(LIMIT_REFUSAL('textLength'));
		expect(await unchanged(app, expert)).toEqual(before);
		// Taking 100,000 out while putting the 60,000 in leaves it shorter: taken.
		const rewritten = await mediator.edit((f) => {
			const text = paragraphText(f, '【长段】');
			text.delete(10, 100_000);
			text.insert(10, 'b'.repeat(60_000));
		});
		expect(rewritten.ok).toBe(true);
	});

	test('a draft too large is refused; deleting makes room again', async ({ app, world, client }) => {
		const [mediator, expert] = await editors(client, world);
		// Updates just under the largest one may be: about 480 KB each.
		const big = (marker: string) => `${marker}${'条'.repeat(160_000)}`;
		let pasted = 0;
		for (; pasted < 8; pasted++) expect((await mediator.append(big(`【第${pasted}段】`))).ok).toBe(true);
		const before = await unchanged(app, expert);
		const over = sideClient(mediator).change((f) => f.push([paragraph(big('【再一段】'))]))!;
		expect(await mediator.send(over)).toEqual(LIMIT_REFUSAL('bytes'));
		expect(await unchanged(app, expert)).toEqual(before);
		// Deleted text leaves only its place behind.
		const swapped = await mediator.edit((f) => {
			f.delete(
				f.toArray().findIndex((node) => node.toString().includes('【第0段】')),
				1
			);
			f.push([paragraph(big('【再一段】'))]);
		});
		expect(swapped.ok).toBe(true);
	});
});

describe('memory', () => {
	// Two hundred cases and drafts take a while on a busy machine.
	test(
		'200 drafts opened, written in and closed leave the store; opened again, they are all there',
		{ timeout: 600_000 },
		async ({ app, world, connect }) => {
			const { network } = world;
			const caseIds: string[] = [];
			for (let i = 0; i < 200; i++) {
				const form = { ...intakeForm(network.nodes.east.id), channel: 'walk_in' };
				caseIds.push((await registerCase(app, network.eastMediator, form, [], null)).caseId);
			}
			// A document of its own for each draft, on a connection of its own for every 40: a connection
			// may send 200 commands at once, then 60 a second, and each draft takes four.
			let socket: ClientSocket | undefined;
			const inDraft = async (caseId: string, work: (draft: DraftClient) => Promise<void>) => {
				if (!socket || caseIds.indexOf(caseId) % 40 === 0) {
					socket?.disconnect();
					socket = connect({ cookie: world.cookies.mediator });
					await connected(socket);
				}
				const draft = new DraftClient(socket);
				expect((await draft.open(caseId)).ok).toBe(true);
				expect((await draft.sync()).ok).toBe(true);
				await work(draft);
				draft.doc.destroy();
				return draft.draftId;
			};
			const draftIds: string[] = [];
			for (const [i, caseId] of caseIds.entries()) {
				const draftId = await inDraft(caseId, async (draft) => {
					expect(app.drafts.has(draft.draftId)).toBe(true);
					// Closed with the edit still on its way: it is stored all the same, then the draft goes.
					const edit = draft.append(`【第${i}份】`);
					await ask(draft.socket, 'draft:close', { draftId: draft.draftId });
					expect((await edit).ok).toBe(true);
				});
				draftIds.push(draftId);
			}
			await vi.waitFor(() => expect(draftIds.filter((id) => app.drafts.has(id))).toEqual([]));

			// Read back from the database, the edits are there.
			for (const [i, caseId] of caseIds.entries()) {
				await inDraft(caseId, async (draft) => {
					expect(draft.text).toContain(`【第${i}份】`);
					await ask(draft.socket, 'draft:close', { draftId: draft.draftId });
				});
			}
			await vi.waitFor(() => expect(draftIds.filter((id) => app.drafts.has(id))).toEqual([]));
		}
	);

	test('a draft stays while anyone has it open; a dropped connection lets go of it too', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const { draftId } = mediator;
		await ask(mediator.socket, 'draft:close', { draftId });
		expect(app.drafts.has(draftId)).toBe(true);
		expect((await expert.append('【专家】')).ok).toBe(true);
		expert.socket.disconnect();
		await vi.waitFor(() => expect(app.drafts.has(draftId)).toBe(false));
		// Opened again, it is read from the database.
		const again = await opened(client, world.cookies.mediator, world.caseId);
		expect(again.text).toContain('【专家】');
		expect(app.drafts.has(draftId)).toBe(true);
	});
});
