/**
 * Presence in a draft belongs to its sender: a connection sets and clears awareness only for the
 * Yjs client ids it brought in, and only a few of them.
 */
import { toBase64 } from 'lib0/buffer';
import { describe, expect, vi } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DRAFT_LIMITS } from '#shared/draft-limits.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { opened, roundTrip, test, type DraftClient } from '../support/draft-client.ts';
import { codeOf, replyOf } from '../support/socket-client.ts';
import { editors } from '../support/draft-convergence.ts';

/** An awareness update for `clients`, each with `state` (null: gone), at a clock ahead of anything sent. */
function presenceOf(clients: number[], state: Record<string, unknown> | null): string {
	const awareness = new Awareness(new Y.Doc());
	const states = awareness.getStates();
	for (const client of clients) {
		states.set(client, state ?? {});
		awareness.meta.set(client, { clock: 1_000, lastUpdated: 0 });
	}
	if (state === null) for (const client of clients) states.delete(client);
	const update = encodeAwarenessUpdate(awareness, clients);
	awareness.destroy();
	return toBase64(update);
}

const sendPresence = (from: DraftClient, update: string) =>
	replyOf(ask(from.socket, 'draft:awareness', { draftId: from.draftId, update }));

describe('draft presence', () => {
	test("a guest cannot clear or set another person's presence by their Yjs client id", async ({ world, client }) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		const expert = await opened(client, world.cookies.expert, world.caseId);
		const guest = await opened(client, world.applicant.cookie, world.caseId);
		expect((await mediator.setAwareness({ cursor: { anchor: 1, head: 1 } })).ok).toBe(true);
		await roundTrip(expert.socket);
		const shown = expert.others().get(mediator.doc.clientID);
		expect(shown).toMatchObject({ user: { name: 'east-mediator-名' } });

		const target = [mediator.doc.clientID];
		for (const update of [presenceOf(target, null), presenceOf(target, { cursor: null })]) {
			expect(await sendPresence(guest, update)).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
		}
		// Nor a client id the mediator wrote with and shows no presence for now (the draft names it).
		const [template] = Object.keys(mediator.snapshot!.authors).map(Number);
		expect(await sendPresence(guest, presenceOf([template], { cursor: null }))).toEqual({
			ok: false,
			error: { code: 'FORBIDDEN' }
		});
		await roundTrip(expert.socket, guest.socket);
		expect(expert.others().get(mediator.doc.clientID)).toEqual(shown);
		const late = await opened(client, world.cookies.admin, world.caseId);
		expect(late.others().get(mediator.doc.clientID)).toEqual(shown);
		expect(late.others().has(template)).toBe(false);

		// Their own presence they set and clear as before.
		expect((await guest.setAwareness({ cursor: null })).ok).toBe(true);
		expect((await guest.setAwareness(null)).ok).toBe(true);
	});

	test('a connection shows only a few client ids: 300 in one message, or one too many over several, are refused', async ({
		world,
		client
	}) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		const guest = await opened(client, world.applicant.cookie, world.caseId);
		const many = Array.from({ length: 300 }, (_, i) => 900_000 + i);
		const tooMany = { ok: false, error: { code: 'VALIDATION', fields: { update: ['too_many'] } } };
		expect(await sendPresence(guest, presenceOf(many, { cursor: null }))).toEqual(tooMany);
		await roundTrip(mediator.socket);
		expect([...mediator.others().keys()].filter((id) => many.includes(id))).toEqual([]);

		const own = many.slice(0, DRAFT_LIMITS.presenceClients);
		for (const id of own) expect((await sendPresence(guest, presenceOf([id], { cursor: null }))).ok).toBe(true);
		expect(await sendPresence(guest, presenceOf([many[DRAFT_LIMITS.presenceClients]], { cursor: null }))).toEqual(
			tooMany
		);
		await roundTrip(mediator.socket);
		expect([...mediator.others().keys()].filter((id) => many.includes(id)).sort()).toEqual(own);

		// Leaving takes away all the presence the connection brought in.
		guest.socket.disconnect();
		await expect
			.poll(() => [...mediator.others().keys()].filter((id) => many.includes(id)), { timeout: 10_000 })
			.toEqual([]);
	});
});

describe('awareness', () => {
	test('people are shown by their real names; closing the draft takes them away', async ({ world, client }) => {
		const [mediator, expert] = await editors(client, world);
		const party = await opened(client, world.applicant.cookie, world.caseId);
		expect(
			(await mediator.setAwareness({ user: { name: '冒充的名字', color: '#000000' }, cursor: { anchor: 1, head: 3 } }))
				.ok
		).toBe(true);
		expect((await party.setAwareness({ user: { name: '法官' }, cursor: null })).ok).toBe(true);
		await roundTrip(expert.socket, party.socket, mediator.socket);
		expect(expert.others().get(mediator.doc.clientID)).toEqual({
			user: { name: 'east-mediator-名', color: mediator.snapshot!.me.color },
			cursor: { anchor: 1, head: 3 }
		});
		expect(expert.others().get(party.doc.clientID)).toMatchObject({ user: { name: '李秀英' } });
		expect(mediator.others().get(party.doc.clientID)).toMatchObject({ user: { name: '李秀英' } });

		// Someone opening later is told who is there.
		const late = await opened(client, world.cookies.admin, world.caseId);
		expect([...late.others().keys()].sort()).toEqual([mediator.doc.clientID, party.doc.clientID].sort());
		expect(late.others().get(mediator.doc.clientID)).toMatchObject({ user: { name: 'east-mediator-名' } });

		await ask(mediator.socket, 'draft:close', { draftId: mediator.draftId });
		await roundTrip(expert.socket, party.socket, late.socket);
		for (const c of [expert, party, late]) expect(c.others().has(mediator.doc.clientID)).toBe(false);
		expect(codeOf(await mediator.append('关闭之后'))).toBe('CONFLICT');

		// Leaving without a word (the connection drops) does the same.
		party.socket.disconnect();
		await vi.waitFor(() => {
			for (const c of [expert, late]) expect(c.others().has(party.doc.clientID)).toBe(false);
		});
	});
});
