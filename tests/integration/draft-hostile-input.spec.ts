/**
 * Hostile input to the live agreement draft: malformed, inconsistent, oversized or unshowable
 * messages are refused as VALIDATION, floods as RATE_LIMITED; the draft and the socket go on.
 */
import { toBase64 } from 'lib0/buffer';
import * as encoding from 'lib0/encoding';
import { describe, expect, vi } from 'vitest';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DraftStore } from '#server/agreements/draft-store.ts';
import { AGREEMENT_FIELD } from '#shared/agreement.ts';
import { DRAFT_LIMITS } from '#shared/draft-limits.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { editors, expectConverged, reloaded, serverDoc } from '../support/draft-convergence.ts';
import {
	fingerprint,
	paragraph,
	paragraphText,
	roundTrip,
	sideClient,
	storedUpdates,
	syncMessage,
	test,
	updateMessage
} from '../support/draft-client.ts';
import { askRaw, codeOf, replyOf } from '../support/socket-client.ts';

/** Deterministic bytes that are no Yjs update. */
function noise(seed: number, length: number): Uint8Array {
	let state = seed;
	const bytes = new Uint8Array(length);
	for (let i = 0; i < length; i++) {
		state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
		bytes[i] = state >>> 24;
	}
	return bytes;
}

type CraftedItem = {
	text: string;
	origin?: [number, number];
	rightOrigin?: [number, number];
	parent?: [number, number];
};

/**
 * An update written by hand (Yjs update format v1): string items of one client from `clock` on,
 * each placed by its origins or in a parent item (or the root type `agreement`).
 */
function craftUpdate(client: number, clock: number, items: CraftedItem[]): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint(e, items.length);
	encoding.writeVarUint(e, client);
	encoding.writeVarUint(e, clock);
	const id = ([c, k]: [number, number]) => {
		encoding.writeVarUint(e, c);
		encoding.writeVarUint(e, k);
	};
	for (const item of items) {
		// ContentString, with bits for the origins that follow.
		encoding.writeUint8(e, 4 | (item.origin ? 0x80 : 0) | (item.rightOrigin ? 0x40 : 0));
		if (item.origin) id(item.origin);
		if (item.rightOrigin) id(item.rightOrigin);
		if (!item.origin && !item.rightOrigin) {
			if (item.parent) {
				encoding.writeVarUint(e, 0);
				id(item.parent);
			} else {
				encoding.writeVarUint(e, 1);
				encoding.writeVarString(e, 'agreement');
			}
		}
		encoding.writeVarString(e, item.text);
	}
	encoding.writeVarUint(e, 0);
	return encoding.toUint8Array(e);
}

describe('hostile input', () => {
	test('malformed, inconsistent or oversized messages are refused as VALIDATION; the draft and socket go on', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const draftId = mediator.draftId;
		const logged = vi.spyOn(app.log, 'error');
		const before = fingerprint(await serverDoc(app, draftId));
		const rows = (await storedUpdates(app, draftId)).length;
		const sendRaw = (message: unknown) => askRaw(mediator.socket, 'draft:sync', { draftId, message });
		const refusals: [string, unknown][] = [];
		const expectRefusedRaw = async (what: string, message: unknown) => {
			const reply = await sendRaw(message);
			if (codeOf(reply) !== 'VALIDATION') refusals.push([what, reply]);
		};
		const expectRefused = (what: string, message: Uint8Array) => expectRefusedRaw(what, toBase64(message));

		for (let seed = 1; seed <= 10; seed++) await expectRefused(`noise ${seed}`, updateMessage(noise(seed, 64)));
		await expectRefused('noise as the message', noise(99, 64));
		await expectRefused('no payload', new Uint8Array([2, 200]));
		await expectRefused('an empty message', new Uint8Array(0));
		await expectRefused(
			'unknown message type 3',
			syncMessage((e) => {
				encoding.writeVarUint(e, 3);
				encoding.writeVarUint8Array(e, new Uint8Array([0, 0]));
			})
		);
		await expectRefused('unknown message type 7', new Uint8Array([7]));
		await expectRefusedRaw('not base64', 'AA%C');
		await expectRefusedRaw('bytes, not base64 text', updateMessage(noise(5, 64)));
		await expectRefusedRaw('numbers', [2, 0, 0]);

		const side = sideClient(mediator);
		const whole = side.change((f) => f.push([paragraph('完整的一段'.repeat(20))]))!;
		await expectRefused('a truncated update', updateMessage(whole.subarray(0, Math.floor(whole.length / 2))));
		// A clock jump: the second of two changes, without the first.
		side.change((f) => f.push([paragraph('先')]));
		const gap = side.change((f) => f.push([paragraph('后')]))!;
		await expectRefused('a gap in a client clock', updateMessage(gap));
		// Written next to, or inside, content the server never got.
		const ghost = sideClient(mediator);
		ghost.change((f) => f.push([paragraph('幽灵')]));
		const after = sideClient(ghost);
		await expectRefused('a dangling origin', updateMessage(after.change((f) => f.push([paragraph('之后')]))!));
		const inside = sideClient(ghost);
		const insideUpdate = inside.change((f) => paragraphText(f, '幽灵').insert(0, '在'))!;
		await expectRefused('a dangling parent', updateMessage(insideUpdate));
		const stranger = 987_654_321;
		await expectRefused('a made-up origin', updateMessage(craftUpdate(stranger, 0, [{ text: 'x', origin: [123, 5] }])));
		// Items that build on the same client's later items, or on themselves.
		await expectRefused(
			'a forward origin',
			updateMessage(craftUpdate(stranger, 0, [{ text: 'a', origin: [stranger, 1] }, { text: 'b' }]))
		);
		await expectRefused(
			'a forward right origin',
			updateMessage(craftUpdate(stranger, 0, [{ text: 'a', rightOrigin: [stranger, 1] }, { text: 'b' }]))
		);
		await expectRefused(
			'a forward parent',
			updateMessage(craftUpdate(stranger, 0, [{ text: 'a', parent: [stranger, 1] }, { text: 'b' }]))
		);
		await expectRefused(
			'its own origin',
			updateMessage(craftUpdate(stranger, 0, [{ text: 'a', origin: [stranger, 0] }]))
		);

		// Over the limit: a paste of more than DRAFT_LIMITS.updateBytes.
		const huge = sideClient(mediator).change((f) => f.push([paragraph('a'.repeat(DRAFT_LIMITS.updateBytes + 1000))]))!;
		expect(huge.length).toBeGreaterThan(DRAFT_LIMITS.updateBytes);
		const tooLarge = await sendRaw(toBase64(updateMessage(huge)));
		expect(tooLarge).toEqual({ ok: false, error: { code: 'VALIDATION', fields: { message: ['too_large'] } } });

		// Awareness that is not awareness.
		const sendAwareness = (update: unknown) => askRaw(mediator.socket, 'draft:awareness', { draftId, update });
		const badJson = syncMessage((e) => {
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, mediator.doc.clientID);
			encoding.writeVarUint(e, 1);
			encoding.writeVarString(e, '{"cursor": ');
		});
		for (const [what, update] of [
			['noise', toBase64(noise(7, 64))],
			['bad JSON', toBase64(badJson)],
			['truncated', toBase64(badJson.subarray(0, 3))],
			['too large', toBase64(new Uint8Array(DRAFT_LIMITS.awarenessBytes + 1))],
			['not base64', 'hello!'],
			['bytes, not base64 text', badJson]
		] as const) {
			const reply = await sendAwareness(update);
			if (codeOf(reply) !== 'VALIDATION') refusals.push([`awareness: ${what}`, reply]);
		}
		expect(refusals).toEqual([]);

		// Nothing reached the draft or anyone in it; nothing went wrong inside the server.
		await roundTrip(expert.socket);
		expect(expert.received).toBe(0);
		expect(fingerprint(await serverDoc(app, draftId))).toEqual(before);
		expect(await storedUpdates(app, draftId)).toHaveLength(rows);
		expect(await reloaded(app, draftId)).toEqual(before);
		expect(logged).not.toHaveBeenCalled();
		expect(mediator.socket.connected).toBe(true);

		// A pasted agreement just under the limit is taken; and typing goes on.
		const big = mediator.change((f) => f.push([paragraph('条'.repeat(DRAFT_LIMITS.updateBytes / 3 - 200))]))!;
		expect(big.length).toBeLessThanOrEqual(DRAFT_LIMITS.updateBytes);
		expect((await mediator.send(big)).ok).toBe(true);
		expect((await mediator.append('【仍可编辑】')).ok).toBe(true);
		expect((await expectConverged(app, [mediator, expert])).text).toContain('【仍可编辑】');
	});

	test('content the editor could not show is refused as VALIDATION; versions can still be saved', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const { draftId } = mediator;
		const before = fingerprint(await serverDoc(app, draftId));
		const rows = (await storedUpdates(app, draftId)).length;
		/** What a client with a copy of the draft (or of `from`) under a new client id sends after `change`. */
		const written = (change: (doc: Y.Doc) => void, from = mediator.doc) => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
			const updates: Uint8Array[] = [];
			doc.on('update', (update: Uint8Array) => updates.push(update));
			change(doc);
			return Y.mergeUpdates(updates);
		};
		const firstText = (doc: Y.Doc) => paragraphText(doc.getXmlFragment(AGREEMENT_FIELD), '');
		const hostile: [string, Uint8Array][] = [
			// On a document of its own: one cannot hold two types under one name.
			['an array under the name of the agreement', written((d) => d.getArray(AGREEMENT_FIELD).push([1]), new Y.Doc())],
			['another root', written((d) => d.getText('notes').insert(0, '旁注'))],
			[
				'a map in the agreement',
				written((d) => d.getXmlFragment(AGREEMENT_FIELD).insert(0, [new Y.XmlHook('x') as never]))
			],
			[
				'an element the schema lacks',
				written((d) => d.getXmlFragment(AGREEMENT_FIELD).insert(0, [new Y.XmlElement('script')]))
			],
			[
				'text straight in the agreement',
				written((d) => d.getXmlFragment(AGREEMENT_FIELD).insert(0, [new Y.XmlText('裸')]))
			],
			['an embed in a text', written((d) => firstText(d).insertEmbed(0, { image: 'x' }))],
			['a mark the schema lacks', written((d) => firstText(d).format(0, 1, { blink: true }))],
			[
				'a type as an attribute',
				written((d) =>
					(d.getXmlFragment(AGREEMENT_FIELD).get(0) as Y.XmlElement).setAttribute('x', new Y.XmlText() as never)
				)
			]
		];
		const refusals: [string, string][] = [];
		for (const [what, update] of hostile) {
			const reply = await mediator.send(update);
			if (codeOf(reply) !== 'VALIDATION') refusals.push([what, codeOf(reply)]);
		}
		expect(refusals).toEqual([]);
		await roundTrip(expert.socket);
		expect(expert.received).toBe(0);
		expect(fingerprint(await serverDoc(app, draftId))).toEqual(before);
		expect(await storedUpdates(app, draftId)).toHaveLength(rows);

		// What the editor itself writes is taken: a bold word, an ordered list, a heading's level.
		const fine = written((d) => {
			firstText(d).format(0, 1, { bold: {} });
			const list = new Y.XmlElement('orderedList');
			list.setAttribute('start', 1 as never);
			const item = new Y.XmlElement('listItem');
			item.insert(0, [paragraph('新条款')]);
			list.insert(0, [item]);
			d.getXmlFragment(AGREEMENT_FIELD).push([list]);
		});
		expect(codeOf(await mediator.send(fine))).toBe('ok');
		expect(DraftStore.contentOf((await app.drafts.live(draftId)).doc).text).toContain('1. 新条款');
		expect(codeOf(await replyOf(ask(mediator.socket, 'draft:saveVersion', { draftId, name: '第二稿' })))).toBe('ok');
	});

	test('a flood beyond the bucket is RATE_LIMITED, for that connection only, and passes', async ({ world, client }) => {
		const [mediator, expert] = await editors(client, world);
		await mediator.setAwareness({ cursor: null });
		const { draftId } = mediator;
		const update = toBase64(encodeAwarenessUpdate(mediator.awareness, [mediator.doc.clientID]));
		const replies = await Promise.all(
			Array.from({ length: 300 }, () => replyOf(ask(mediator.socket, 'draft:awareness', { draftId, update })))
		);
		const codes = replies.map(codeOf);
		expect(new Set(codes)).toEqual(new Set(['ok', 'RATE_LIMITED']));
		expect(codes.filter((c) => c === 'ok').length).toBeGreaterThanOrEqual(190);
		expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(50);
		// Others are not held back; the flooder is served again once the bucket refills.
		expect((await expert.append('【专家】')).ok).toBe(true);
		expect(mediator.socket.connected).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect((await mediator.append('【调解员】')).ok).toBe(true);
	});
});
