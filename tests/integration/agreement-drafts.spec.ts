/**
 * The live agreement draft over real sockets: who may open it and as what, concurrent editing that
 * converges everywhere (clients, the server's document, a reload from the database), who may
 * write, persistence before acknowledgement, authorship of Yjs client ids, hostile input,
 * offline editing, versions and freezing, compaction, and awareness.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { toBase64 } from 'lib0/buffer';
import * as encoding from 'lib0/encoding';
import { describe, expect, vi } from 'vitest';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DraftStore } from '#server/agreements/draft-store.ts';
import type { App } from '#server/app.ts';
import { reportDispute } from '#server/cases/report-dispute.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { agreementDrafts, caseEvents, draftAuthors, draftSnapshots, draftVersions } from '#server/db/schema.ts';
import { AGREEMENT_FIELD } from '#shared/agreement.ts';
import { DRAFT_LIMITS } from '#shared/draft-limits.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { intakeForm } from '../support/case-network.ts';
import {
	covers,
	DraftClient,
	fingerprint,
	opened,
	paragraph,
	paragraphText,
	roundTrip,
	sideClient,
	storedUpdates,
	syncMessage,
	test,
	updateMessage,
	type DraftCase,
	type NewClient
} from '../support/draft-client.ts';
import { askRaw, codeOf, connected, replyOf } from '../support/socket-client.ts';

// ---------------------------------------------------------------------------------------------
// Helpers.

/** The mediator (who starts the draft) and the invited legal expert, both in sync. */
async function editors(client: NewClient, world: DraftCase): Promise<[DraftClient, DraftClient]> {
	const mediator = await opened(client, world.cookies.mediator, world.caseId);
	const expert = await opened(client, world.cookies.expert, world.caseId);
	return [mediator, expert];
}

const serverDoc = async (app: App, draftId: string) => (await app.drafts.live(draftId)).doc;

/** The draft as a new process would load it from the database: snapshot plus updates. */
async function reloaded(app: App, draftId: string) {
	const draft = await new DraftStore(app.database, app.log).live(draftId);
	const print = fingerprint(draft.doc);
	draft.doc.destroy();
	return print;
}

/** Everyone has the same document: the clients, the server's copy, and a reload from the database. */
async function expectConverged(app: App, clients: DraftClient[]) {
	await Promise.all(clients.map((c) => c.settled()));
	await roundTrip(...clients.map((c) => c.socket));
	const draftId = clients[0].draftId;
	const expected = fingerprint(await serverDoc(app, draftId));
	for (const c of clients) expect(fingerprint(c.doc)).toEqual(expected);
	expect(await reloaded(app, draftId)).toEqual(expected);
	return expected;
}

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

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

// ---------------------------------------------------------------------------------------------

describe('opening a draft', () => {
	test("the mediator's first open starts it from the template, filled in with the case; others find it only then", async ({
		app,
		world,
		client
	}) => {
		const expert = await client(world.cookies.expert);
		const applicant = await client(world.applicant.cookie);
		expect(codeOf(await expert.open(world.caseId))).toBe('CONFLICT');
		expect(codeOf(await applicant.open(world.caseId))).toBe('CONFLICT');
		expect(await app.db.select().from(agreementDrafts)).toEqual([]);

		const mediator = await client(world.cookies.mediator);
		const first = await mediator.open(world.caseId);
		if (!first.ok) throw new Error(first.error.code);
		expect(first.data).toMatchObject({
			role: 'mediator',
			me: { name: 'east-mediator-名', color: expect.stringMatching(/^#[0-9a-f]{6}$/) },
			partiesMayEdit: false,
			frozenVersionId: null,
			versions: [],
			comments: []
		});
		// The template was written under a client id of the mediator's.
		expect(Object.values(first.data.authors)).toEqual(['east-mediator-名']);
		expect((await mediator.sync()).ok).toBe(true);
		for (const part of ['人民调解协议书', world.caseNumber, '申请人：李秀英', '被申请人：王建国', '排水沟']) {
			expect(mediator.text).toContain(part);
		}
		const draftId = mediator.draftId;
		expect(await storedUpdates(app, draftId)).toHaveLength(1);
		const events = await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, world.caseId));
		expect(events.filter((e) => e.action === 'agreement.drafted').map((e) => e.data)).toEqual([{ draftId }]);

		// Now everyone with a part in the case opens the same draft, each as what they are to it.
		const roles: [string, string][] = [
			[world.cookies.expert, 'expert'],
			[world.applicant.cookie, 'party'],
			[world.respondent.cookie, 'party'],
			[world.cookies.admin, 'reader'],
			[world.cookies.mediator2, 'mediator'],
			[world.cookies.townMediator, 'mediator']
		];
		for (const [cookie, role] of roles) {
			const other = await client(cookie);
			const reply = await other.open(world.caseId);
			expect(reply.ok && [reply.data.draftId, reply.data.role]).toEqual([draftId, role]);
			expect((await other.sync()).ok).toBe(true);
			expect(fingerprint(other.doc)).toEqual(fingerprint(mediator.doc));
		}
		const applicantAgain = await applicant.open(world.caseId);
		expect(applicantAgain.ok && applicantAgain.data.me.name).toBe('李秀英');
		// Opening again created nothing.
		expect(await app.db.select().from(agreementDrafts)).toHaveLength(1);
		expect(await storedUpdates(app, draftId)).toHaveLength(1);
	});

	test('no part in the case: other committees, grid workers, guests of another case', async ({
		app,
		world,
		client
	}) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		const outsiders: [string, string][] = [
			[world.cookies.westMediator, 'NOT_FOUND'],
			[world.cookies.gridWorker, 'NOT_FOUND'],
			[world.otherGuest.cookie, 'FORBIDDEN']
		];
		for (const [cookie, code] of outsiders) {
			const outsider = await client(cookie);
			expect(codeOf(await outsider.open(world.caseId))).toBe(code);
			// Knowing the draft's id gives nothing either.
			const message = syncMessage((e) => encoding.writeVarUint(e, 0));
			expect(
				codeOf(
					await replyOf(ask(outsider.socket, 'draft:sync', { draftId: mediator.draftId, message: toBase64(message) }))
				)
			).toBe('CONFLICT');
		}

		// A grid worker sees a dispute they reported, but has no part in its agreement.
		const { network } = world;
		const { caseId } = await reportDispute(app, network.gridWorker, intakeForm(network.nodes.east.id), [], null);
		await transitionCase(app, network.eastMediator, { caseId, transition: 'accept' }, null);
		expect((await mediator.open(caseId)).ok).toBe(true);
		const reporter = await client(world.cookies.gridWorker);
		expect(codeOf(await reporter.open(caseId))).toBe('FORBIDDEN');
	});

	test('two mediators opening at once start one draft', async ({ app, world, client }) => {
		const [a, b] = await Promise.all([client(world.cookies.mediator), client(world.cookies.mediator2)]);
		const [ra, rb] = await Promise.all([a.open(world.caseId), b.open(world.caseId)]);
		expect(ra.ok && rb.ok && ra.data.draftId === rb.data.draftId).toBe(true);
		expect(await app.db.select().from(agreementDrafts)).toHaveLength(1);
		expect(await storedUpdates(app, a.draftId)).toHaveLength(1);
		await Promise.all([a.sync(), b.sync()]);
		expect(fingerprint(a.doc)).toEqual(fingerprint(b.doc));
	});
});

describe('editing together', () => {
	test('two editors typing at once converge on the same document everywhere', async ({ app, world, client }) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【调解员】'), expert.append('【专家】')]);
		await roundTrip(mediator.socket, expert.socket);

		// Both type into the same paragraph without waiting for each other; the expert also deletes
		// in their own paragraph, the mediator a paragraph of the template.
		const sends = [];
		for (let i = 0; i < 25; i++) {
			sends.push(mediator.type('【调解员】', `m${i} `), expert.type('【调解员】', `e${i} `));
			sends.push(expert.type('【专家】', 'zz'));
			if (i % 5 === 4) sends.push(expert.edit((f) => paragraphText(f, '【专家】').delete('【专家】'.length, 1)));
			if (i === 10) sends.push(mediator.edit((f) => f.delete(1, 1)));
		}
		const replies = await Promise.all(sends);
		expect(replies.filter((r) => !r.ok)).toEqual([]);

		const converged = await expectConverged(app, [mediator, expert]);
		const typed = converged.text.split('\n').find((line) => line.startsWith('【调解员】'))!;
		expect(typed.slice('【调解员】'.length).split(' ').sort()).toEqual(
			Array.from({ length: 25 }, (_, i) => [`m${i}`, `e${i}`])
				.flat()
				.sort()
		);
		expect(converged.text).toContain(`【专家】${'z'.repeat(45)}\n`);
		expect(converged.text).not.toContain('编号');
		expect(converged.xml).toContain('<paragraph>【专家】');
		// Someone opening later gets the same, from nothing.
		const late = await opened(client, world.cookies.admin, world.caseId);
		expect(fingerprint(late.doc)).toEqual(converged);
	});

	test('a party only suggests until the mediator lets parties edit; a reader never writes', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const party = await opened(client, world.applicant.cookie, world.caseId);
		const reader = await opened(client, world.cookies.admin, world.caseId);
		const draftId = mediator.draftId;
		const before = fingerprint(await serverDoc(app, draftId));
		const rows = (await storedUpdates(app, draftId)).length;

		expect(codeOf(await party.append('【申请人】要求赔偿'))).toBe('FORBIDDEN');
		expect(codeOf(await reader.append('【管理员】改一改'))).toBe('FORBIDDEN');
		await roundTrip(mediator.socket, expert.socket);
		expect(fingerprint(await serverDoc(app, draftId))).toEqual(before);
		expect(await storedUpdates(app, draftId)).toHaveLength(rows);
		expect(await app.db.select().from(draftAuthors).where(eq(draftAuthors.clientId, party.doc.clientID))).toEqual([]);
		expect([mediator.received, expert.received]).toEqual([0, 0]);

		// Only a mediator decides.
		expect(codeOf(await replyOf(ask(expert.socket, 'draft:setPartiesMayEdit', { draftId, allowed: true })))).toBe(
			'FORBIDDEN'
		);
		expect(codeOf(await replyOf(ask(party.socket, 'draft:setPartiesMayEdit', { draftId, allowed: true })))).toBe(
			'FORBIDDEN'
		);
		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId, allowed: true });
		await roundTrip(party.socket);
		expect(party.changed.at(-1)?.snapshot.partiesMayEdit).toBe(true);

		// The party's client sends what the server lacks again, as any client does after a refusal.
		expect((await party.sync()).ok).toBe(true);
		expect((await party.type('【申请人】', '，并恢复排水沟')).ok).toBe(true);
		// (A new document: this one's own history already has the refused change in it.)
		expect(codeOf(await sideClient(reader, mediator.doc).append('【管理员】改一改'))).toBe('FORBIDDEN');
		const converged = await expectConverged(app, [mediator, expert, party]);
		expect(converged.text).toContain('【申请人】要求赔偿，并恢复排水沟\n');
		expect(converged.text).not.toContain('【管理员】');
		const reopened = await mediator.open(world.caseId);
		expect(reopened.ok && reopened.data.authors[String(party.doc.clientID)]).toBe('李秀英');

		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId, allowed: false });
		expect(codeOf(await party.type('【申请人】', '！'))).toBe('FORBIDDEN');
		expect(fingerprint(await serverDoc(app, draftId))).toEqual(converged);
	});

	test('someone who may not write still syncs a draft with deletions in it, and stores nothing', async ({
		app,
		world,
		client
	}) => {
		const [mediator] = await editors(client, world);
		expect((await mediator.append('【将删除】')).ok).toBe(true);
		expect((await mediator.edit((f) => f.delete(f.length - 1, 1))).ok).toBe(true);
		const rows = (await storedUpdates(app, mediator.draftId)).length;

		// Their answer to the server's step 1 carries their whole delete set, which the server has.
		const party = await client(world.applicant.cookie);
		const reader = await client(world.cookies.admin);
		for (const c of [party, reader]) {
			expect((await c.open(world.caseId)).ok).toBe(true);
			expect(codeOf(await c.sync())).toBe('ok');
		}
		// So does an editor's when it reconnects with nothing new.
		expect(codeOf(await mediator.sync())).toBe('ok');
		expect(await storedUpdates(app, mediator.draftId)).toHaveLength(rows);
		await expectConverged(app, [mediator, party, reader]);
	});

	test('a party allowed to edit may send many updates without waiting for each answer', async ({
		app,
		world,
		client
	}) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId: mediator.draftId, allowed: true });
		const party = await opened(client, world.respondent.cookie, world.caseId);
		expect((await party.append('【被申请人】')).ok).toBe(true);
		const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => party.type('【被申请人】', `${i},`)));
		expect(replies.map(codeOf)).toEqual(replies.map(() => 'ok'));
		const converged = await expectConverged(app, [mediator, party]);
		expect(converged.text).toContain(`【被申请人】${Array.from({ length: 40 }, (_, i) => `${i},`).join('')}\n`);
	});
});

describe('storage', () => {
	test('every acknowledged update is already in PostgreSQL when the acknowledgement arrives', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【甲】'), expert.append('【乙】')]);
		const checks: Promise<void>[] = [];
		const sendAndCheck = (c: DraftClient, marker: string, text: string) => {
			const update = c.change((f) => {
				const node = paragraphText(f, marker);
				node.insert(node.length, text);
			})!;
			return c.send(update).then((reply) => {
				expect(reply.ok).toBe(true);
				// Checked the moment the acknowledgement is in, before anything else is sent.
				const check = storedUpdates(app, c.draftId).then((rows) => {
					expect(rows.some((row) => Buffer.compare(row.update, update) === 0)).toBe(true);
				});
				checks.push(check);
				return check;
			});
		};
		const sends = [];
		for (let i = 0; i < 20; i++)
			sends.push(sendAndCheck(mediator, '【甲】', `a${i}`), sendAndCheck(expert, '【乙】', `b${i}`));
		await Promise.all(sends);
		await Promise.all(checks);
		expect(checks).toHaveLength(40);
		await expectConverged(app, [mediator, expert]);
	});

	test('an update the database fails to store is neither acknowledged nor passed on; a resync stores it', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const before = fingerprint(await serverDoc(app, mediator.draftId));
		const rows = (await storedUpdates(app, mediator.draftId)).length;
		const logged = vi.spyOn(app.log, 'error');
		const write = vi
			.spyOn(app.database, 'prepared')
			.mockImplementationOnce(
				() => Promise.reject(new Error('could not extend file: No space left on device')) as never
			);
		expect(codeOf(await mediator.append('【未保存】'))).toBe('UNAVAILABLE');
		write.mockRestore();
		expect(logged).toHaveBeenCalledWith(expect.anything(), 'draft updates not stored; the draft is reloaded');
		// Nobody heard of it, and the server's copy is the database's again.
		await roundTrip(expert.socket);
		expect(expert.received).toBe(0);
		expect(fingerprint(await serverDoc(app, mediator.draftId))).toEqual(before);
		expect(await storedUpdates(app, mediator.draftId)).toHaveLength(rows);

		// The client's next sync sends it again, and this time it is kept.
		expect((await mediator.sync()).ok).toBe(true);
		expect((await expectConverged(app, [mediator, expert])).text).toContain('【未保存】');
	});

	test('compaction: past 200 updates a snapshot replaces them, and a reload reads the same', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【甲】'), expert.append('【乙】')]);
		const type = async (c: DraftClient, marker: string, count: number) => {
			for (let i = 0; i < count; i++) expect((await c.type(marker, `${i % 10}`)).ok).toBe(true);
		};
		await Promise.all([type(mediator, '【甲】', 105), type(expert, '【乙】', 100)]);
		const draftId = mediator.draftId;
		let snapshot: typeof draftSnapshots.$inferSelect | undefined;
		await vi.waitFor(
			async () => {
				[snapshot] = await app.db.select().from(draftSnapshots).where(eq(draftSnapshots.draftId, draftId));
				expect(snapshot).toBeDefined();
			},
			{ timeout: 10_000, interval: 50 }
		);
		const rows = await storedUpdates(app, draftId);
		// Of the 208 updates stored, only those after the snapshot are left.
		expect(rows.length).toBeLessThan(20);
		expect(rows.every((row) => row.id > snapshot!.uptoId)).toBe(true);
		const converged = await expectConverged(app, [mediator, expert]);
		expect(converged.text).toContain(`【甲】${'0123456789'.repeat(10)}01234\n`);
		// Every acknowledged update is in the snapshot or after it.
		const fromDatabase = await new DraftStore(app.database, app.log).live(draftId);
		expect([...mediator.acked, ...expert.acked].filter((update) => !covers(fromDatabase.doc, update))).toEqual([]);
		fromDatabase.doc.destroy();

		// Editing goes on after it, and reloads still agree.
		expect((await expert.type('【甲】', '！')).ok).toBe(true);
		expect((await expectConverged(app, [mediator, expert])).text).toContain('01234！\n');
	});
});

describe('authorship', () => {
	test("writing under another author's Yjs client id is refused; the authors are named by client id", async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【调解员】'), expert.append('【专家】')]);
		const draftId = mediator.draftId;
		const reopened = await ask(mediator.socket, 'draft:open', { caseId: world.caseId });
		const [template] = Object.keys(mediator.snapshot!.authors).map(Number);
		expect(reopened.authors).toEqual({
			[template]: 'east-mediator-名',
			[mediator.doc.clientID]: 'east-mediator-名',
			[expert.doc.clientID]: 'expert-名'
		});
		const rows = (await storedUpdates(app, draftId)).length;
		const before = fingerprint(await serverDoc(app, draftId));

		/** The expert's connection writing on a copy of the draft under `clientId`. */
		const forge = (clientId: number) => {
			const forger = sideClient(expert);
			forger.doc.clientID = clientId;
			return forger.type('【调解员】', '（专家冒名改的）');
		};
		expect(codeOf(await forge(mediator.doc.clientID))).toBe('FORBIDDEN');
		expect(codeOf(await forge(template))).toBe('FORBIDDEN');
		// Another mediator is another author too.
		const mediator2 = await opened(client, world.cookies.mediator2, world.caseId);
		const forged = sideClient(mediator2);
		forged.doc.clientID = mediator.doc.clientID;
		expect(codeOf(await forged.append('冒名'))).toBe('FORBIDDEN');
		expect(await storedUpdates(app, draftId)).toHaveLength(rows);
		expect(fingerprint(await serverDoc(app, draftId))).toEqual(before);

		// The author of each client id is in the database: a reloaded draft refuses the same.
		const store = new DraftStore(app.database, app.log);
		const expertAuthor = { key: `user:${world.network.expert.id}`, name: 'expert-名' };
		const copy = sideClient(expert);
		copy.doc.clientID = mediator.doc.clientID;
		const update = copy.change((f) => f.push([paragraph('冒名')]))!;
		await expect(store.apply(draftId, update, expertAuthor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
		(await store.live(draftId)).doc.destroy();

		// Their own ids stay theirs.
		expect((await mediator.type('【调解员】', '本人')).ok).toBe(true);
		expect((await expert.type('【专家】', '本人')).ok).toBe(true);
	});
});

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

describe('offline', () => {
	test('edits made offline and meanwhile by others all end up everywhere after reconnecting', async ({
		app,
		world,
		client,
		connect
	}) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【共同段落】'), expert.append('【专家段落】')]);
		await roundTrip(mediator.socket, expert.socket);
		const rows = (await storedUpdates(app, mediator.draftId)).length;

		mediator.socket.disconnect();
		for (const text of ['离线一', '离线二', '离线三'])
			mediator.change((f) => paragraphText(f, '【共同段落】').insert(6, text));
		mediator.change((f) => f.push([paragraph('【离线新段】')]));
		for (const text of ['在线一', '在线二']) expect((await expert.type('【共同段落】', text)).ok).toBe(true);
		expect((await expert.type('【专家段落】', '在线三')).ok).toBe(true);
		expect(mediator.text).not.toContain('在线');

		// A new connection: open, then sync both ways.
		const socket = connect({ cookie: world.cookies.mediator });
		await connected(socket);
		mediator.attach(socket);
		expect((await mediator.open(world.caseId)).ok).toBe(true);
		expect((await mediator.sync()).ok).toBe(true);
		const converged = await expectConverged(app, [mediator, expert]);
		for (const text of ['离线一', '离线二', '离线三', '【离线新段】', '在线一', '在线二', '在线三']) {
			expect(converged.text).toContain(text);
		}
		// The offline edits went in as one update (the answer to the server's step 1).
		expect(await storedUpdates(app, mediator.draftId)).toHaveLength(rows + 3 + 1);
	});
});

describe('versions', () => {
	test('save, restore as a new change, freeze with the SHA-256 of the text; frozen, nobody writes until the mediator unfreezes, which supersedes it', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const party = await opened(client, world.applicant.cookie, world.caseId);
		const { draftId } = mediator;
		expect((await mediator.append('【第一版】')).ok).toBe(true);
		const v1 = await ask(mediator.socket, 'draft:saveVersion', { draftId, name: '初稿' });
		expect(v1).toMatchObject({
			seq: 1,
			name: '初稿',
			text: mediator.text,
			sha256: null,
			createdByName: 'east-mediator-名'
		});
		expect((await expert.append('【第二版追加】')).ok).toBe(true);
		await roundTrip(mediator.socket);
		const v2 = await ask(mediator.socket, 'draft:saveVersion', { draftId, name: '二稿' });
		expect(v2.seq).toBe(2);
		expect(v2.text).toContain('【第二版追加】');

		for (const [event, payload] of [
			['draft:saveVersion', { draftId, name: '专家版' }],
			['draft:restoreVersion', { draftId, versionId: v1.id }],
			['draft:freeze', { draftId, versionId: v1.id }]
		] as const) {
			expect(codeOf(await askRaw(expert.socket, event, payload))).toBe('FORBIDDEN');
		}

		// Restoring is a change like any other: the history grows.
		const rows = (await storedUpdates(app, draftId)).length;
		await ask(mediator.socket, 'draft:restoreVersion', { draftId, versionId: v1.id });
		expect(await storedUpdates(app, draftId)).toHaveLength(rows + 1);
		const restored = await expectConverged(app, [mediator, expert, party]);
		expect(restored.text).toBe(v1.text);

		// Freezing the version the draft reads as changes nothing in it.
		const frozen = await ask(mediator.socket, 'draft:freeze', { draftId, versionId: v1.id });
		expect(frozen).toMatchObject({
			id: v1.id,
			sha256: sha256(v1.text),
			frozenAt: expect.any(String),
			supersededAt: null
		});
		expect(await storedUpdates(app, draftId)).toHaveLength(rows + 1);
		const [draft] = await app.db.select().from(agreementDrafts).where(eq(agreementDrafts.id, draftId));
		expect(draft.frozenVersionId).toBe(v1.id);
		await roundTrip(mediator.socket, expert.socket, party.socket);
		for (const c of [mediator, expert, party]) expect(c.changed.at(-1)?.snapshot.frozenVersionId).toBe(v1.id);

		const actions = async () =>
			(
				await app.db
					.select({ action: caseEvents.action, data: caseEvents.data })
					.from(caseEvents)
					.where(and(eq(caseEvents.caseId, world.caseId)))
					.orderBy(asc(caseEvents.seq))
			).filter((e) => e.action.startsWith('agreement.'));
		expect(await actions()).toEqual([
			{ action: 'agreement.drafted', data: { draftId } },
			{ action: 'agreement.version_saved', data: { draftId, versionId: v1.id, name: '初稿' } },
			{ action: 'agreement.version_saved', data: { draftId, versionId: v2.id, name: '二稿' } },
			{ action: 'agreement.version_restored', data: { draftId, versionId: v1.id, name: '初稿' } },
			{ action: 'agreement.frozen', data: { draftId, versionId: v1.id, name: '初稿', sha256: sha256(v1.text) } }
		]);

		// While a version is frozen nobody writes, the mediator neither: what is signed stays what everyone sees.
		const frozenRows = (await storedUpdates(app, draftId)).length;
		expect(codeOf(await expert.type('【第一版】', '（改）'))).toBe('FORBIDDEN');
		expect(codeOf(await sideClient(mediator).append('【调解员】再改'))).toBe('FORBIDDEN');
		expect(await storedUpdates(app, draftId)).toHaveLength(frozenRows);
		expect(codeOf(await replyOf(ask(expert.socket, 'draft:unfreeze', { draftId })))).toBe('FORBIDDEN');

		// The mediator unfreezes: that supersedes the frozen version, and everyone is told.
		const seen = [mediator, expert, party].map((c) => c.changed.length);
		expect(await ask(mediator.socket, 'draft:unfreeze', { draftId })).toEqual({});
		await roundTrip(mediator.socket, expert.socket, party.socket);
		for (const [i, c] of [mediator, expert, party].entries()) {
			const unfrozen = c.changed.slice(seen[i]).find((fact) => fact.unfrozen);
			expect(unfrozen?.unfrozen).toMatchObject({
				id: v1.id,
				sha256: sha256(v1.text),
				supersededAt: expect.any(String)
			});
			expect(unfrozen?.snapshot.frozenVersionId).toBeNull();
		}
		const [v1Row] = await app.db.select().from(draftVersions).where(eq(draftVersions.id, v1.id));
		expect(v1Row.supersededAt).not.toBeNull();
		expect(
			(await app.db.select().from(agreementDrafts).where(eq(agreementDrafts.id, draftId)))[0].frozenVersionId
		).toBeNull();
		expect((await actions()).at(-1)).toEqual({
			action: 'agreement.unfrozen',
			data: { draftId, versionId: v1.id, name: '初稿', sha256: sha256(v1.text) }
		});
		expect(codeOf(await replyOf(ask(mediator.socket, 'draft:unfreeze', { draftId })))).toBe('CONFLICT');
		// Written again: the refused change goes in as any client sends what the server lacks.
		expect((await expert.sync()).ok).toBe(true);
		expect((await expectConverged(app, [mediator, expert, party])).text).toContain('【第一版】（改）');

		// Freezing a version the draft does not read as first makes it read so, for everyone.
		const frozen2 = await ask(mediator.socket, 'draft:freeze', { draftId, versionId: v2.id });
		expect(frozen2.sha256).toBe(sha256(v2.text));
		expect((await expectConverged(app, [mediator, expert, party])).text).toBe(v2.text);
		expect((await actions()).at(-1)).toMatchObject({ action: 'agreement.frozen', data: { versionId: v2.id } });
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
