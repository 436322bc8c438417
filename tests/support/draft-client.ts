/**
 * A Node client of the live agreement draft, for the tests: a Yjs document kept in step with the
 * server over Socket.io by the y-protocols sync messages of `draft:sync`, the awareness of
 * `draft:awareness`, and the facts the server sends. Also the world the draft tests work in: a
 * case of 东村 with its mediators, an invited legal expert, and parties invited to a mediation.
 */
import { asc, eq } from 'drizzle-orm';
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { io } from 'socket.io-client';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import { DraftStore } from '#server/agreements/draft-store.ts';
import type { App } from '#server/app.ts';
import { hashPassword } from '#server/auth/password.ts';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import { cases, draftUpdates, users } from '#server/db/schema.ts';
import { AGREEMENT_FIELD } from '#shared/agreement.ts';
import type { ErrorCode, Reply } from '#shared/errors.ts';
import type { CommandResults, DraftSnapshot, ServerToClientEvents } from '#shared/realtime-events.ts';
import type { Actor } from '#shared/roles.ts';
import { setUpNetwork } from './case-network.ts';
import { accountCookie, acceptedCase, mediationWithGuests } from './invited-guests.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { connected, replyOf, socketTest, whoami, type ClientSocket } from './socket-client.ts';

// ---------------------------------------------------------------------------------------------
// Talking to the server.

export type FactOf<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];
type SyncReply = Reply<CommandResults['draft:sync']>;

/**
 * A round trip on each socket. A change's facts are emitted before its command replies, and a
 * connection's messages arrive in order: once the change's reply is in, a round trip on another
 * socket of the same process brings in every fact the change sent it.
 */
export async function roundTrip(...sockets: ClientSocket[]): Promise<void> {
	await Promise.all(sockets.map(whoami));
}

/** Connects to a server (not the test's own app) with a cookie, as a browser would. */
export function connectTo(url: string, cookie: string): ClientSocket {
	return io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie } });
}

export function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

/** A y-protocols update message carrying `update`. */
export const updateMessage = (update: Uint8Array) => syncMessage((e) => sync.writeUpdate(e, update));

/** Polls until `check` stops throwing (or returns true), for what crosses processes. */
export async function eventually(check: () => unknown | Promise<unknown>, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			if ((await check()) !== false) return;
			if (Date.now() > deadline) throw new Error('condition still false');
		} catch (error) {
			if (Date.now() > deadline) throw error;
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

// ---------------------------------------------------------------------------------------------
// Documents.

/** Changes that came from the server: not sent back. */
const REMOTE = Symbol('remote');

export function paragraph(text: string): Y.XmlElement {
	const element = new Y.XmlElement('paragraph');
	element.insert(0, [new Y.XmlText(text)]);
	return element;
}

/** The text node of the fragment's paragraph that starts with `marker` (each test writes its own). */
export function paragraphText(fragment: Y.XmlFragment, marker: string): Y.XmlText {
	for (const node of fragment.toArray()) {
		if (!(node instanceof Y.XmlElement) || node.nodeName !== 'paragraph') continue;
		const text = node.get(0);
		if (text instanceof Y.XmlText && text.toString().startsWith(marker)) return text;
	}
	throw new Error(`no paragraph starting with ${marker}`);
}

/**
 * What two documents must agree on to be the same draft: the canonical text and the XML of the
 * agreement, read from a copy made of `Y.encodeStateAsUpdate`, and the Yjs state itself (every
 * client's clock and everything deleted).
 */
export type Fingerprint = {
	text: string;
	xml: string;
	state: [client: number, clock: number][];
	deleted: [client: number, ranges: [clock: number, length: number][]][];
};

export function fingerprint(doc: Y.Doc): Fingerprint {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const text = DraftStore.contentOf(copy).text;
	const xml = copy.getXmlFragment(AGREEMENT_FIELD).toString();
	const state = [...Y.decodeStateVector(Y.encodeStateVector(copy))].sort((a, b) => a[0] - b[0]);
	const deleted = [...Y.createDeleteSetFromStructStore(copy.store).clients]
		.map(([client, items]): Fingerprint['deleted'][number] => [client, items.map((i) => [i.clock, i.len])])
		.sort((a, b) => a[0] - b[0]);
	copy.destroy();
	return { text, xml, state, deleted };
}

const textOf = (doc: Y.Doc) => DraftStore.contentOf(doc).text;

/** Whether applying `update` to `doc` would add nothing: everything it carries is already there. */
export function covers(doc: Y.Doc, update: Uint8Array): boolean {
	const known = Y.decodeStateVector(Y.encodeStateVector(doc));
	for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))) {
		if ((known.get(client) ?? 0) < clock) return false;
	}
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const before = fingerprint(copy);
	Y.applyUpdate(copy, update);
	const same = JSON.stringify(fingerprint(copy)) === JSON.stringify(before) && !copy.store.pendingStructs;
	copy.destroy();
	return same;
}

// ---------------------------------------------------------------------------------------------
// The client.

/**
 * One person's editor: a Yjs document and its awareness, on a socket. `open` then `sync` (the
 * y-protocols handshake); `edit` changes the document and sends the update, resolving with the
 * server's acknowledgement; updates from others (`draft:sync` facts) are applied as they come.
 * Every update sent is recorded as acknowledged or refused, and the `draft:changed` and
 * `draft:comment` facts kept.
 */
export class DraftClient {
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	socket: ClientSocket;
	draftId = '';
	snapshot: DraftSnapshot | undefined;
	readonly changed: FactOf<'draft:changed'>[] = [];
	/** The comments posted or resolved, as `draft:comment` facts told them. */
	readonly comments: FactOf<'draft:comment'>['comment'][] = [];
	/** The updates the server acknowledged, in the order acknowledged. */
	readonly acked: Uint8Array[] = [];
	readonly refused: { update: Uint8Array; code: ErrorCode }[] = [];
	/** Updates sent whose reply never came (the connection was lost). */
	readonly lost: Uint8Array[] = [];
	/** `draft:sync` facts received. */
	received = 0;
	readonly #local = Symbol('local');
	readonly #inFlight = new Set<Promise<unknown>>();

	constructor(socket: ClientSocket, doc = new Y.Doc()) {
		this.doc = doc;
		this.awareness = new Awareness(doc);
		this.socket = socket;
		this.attach(socket);
	}

	get fragment(): Y.XmlFragment {
		return this.doc.getXmlFragment(AGREEMENT_FIELD);
	}

	get text(): string {
		return textOf(this.doc);
	}

	/** Takes a new connection (after a reconnect): open and sync again. */
	attach(socket: ClientSocket): void {
		this.socket = socket;
		socket.on('draft:sync', ({ draftId, message }) => {
			if (draftId !== this.draftId) return;
			this.received++;
			this.#read(fromBase64(message));
		});
		// The server sends who is present while opening, before the open's reply.
		socket.on('draft:awareness', ({ update }) => applyAwarenessUpdate(this.awareness, fromBase64(update), REMOTE));
		socket.on('draft:changed', (fact) => this.changed.push(fact));
		socket.on('draft:comment', ({ comment }) => this.comments.push(comment));
	}

	/** Applies a sync message from the server; returns the answer it calls for (to a step 1), if any. */
	#read(message: Uint8Array): Uint8Array | null {
		const encoder = encoding.createEncoder();
		sync.readSyncMessage(decoding.createDecoder(message), encoder, this.doc, REMOTE);
		return encoding.length(encoder) > 0 ? encoding.toUint8Array(encoder) : null;
	}

	async open(caseId: string): Promise<Reply<DraftSnapshot>> {
		const reply = await replyOf(ask(this.socket, 'draft:open', { caseId }));
		if (reply.ok) {
			this.draftId = reply.data.draftId;
			this.snapshot = reply.data;
		}
		return reply;
	}

	/**
	 * The y-protocols handshake: our step 1; the server answers with its step 2 (what we lack) and
	 * its own step 1, which we answer with our step 2 (what it lacks). Resolves with the reply to
	 * that answer.
	 */
	async sync(): Promise<SyncReply> {
		const reply = await replyOf(
			ask(this.socket, 'draft:sync', {
				draftId: this.draftId,
				message: toBase64(syncMessage((e) => sync.writeSyncStep1(e, this.doc)))
			})
		);
		if (!reply.ok) throw new Error(`sync step 1 refused: ${reply.error.code}`);
		let answered: SyncReply = { ok: true, data: { messages: [] } };
		for (const message of reply.data.messages) {
			const answer = this.#read(fromBase64(message));
			if (!answer) continue;
			const decoder = decoding.createDecoder(answer);
			decoding.readVarUint(decoder);
			answered = await this.#post(answer, decoding.readVarUint8Array(decoder));
		}
		return answered;
	}

	/** Changes the document here only (as offline) and returns the update, if the change made one. */
	change(change: (fragment: Y.XmlFragment, doc: Y.Doc) => void): Uint8Array | null {
		const updates: Uint8Array[] = [];
		const capture = (update: Uint8Array, origin: unknown) => {
			if (origin === this.#local) updates.push(update);
		};
		this.doc.on('update', capture);
		this.doc.transact(() => change(this.fragment, this.doc), this.#local);
		this.doc.off('update', capture);
		return updates.length ? Y.mergeUpdates(updates) : null;
	}

	/** Changes the document and sends the update; resolves with the server's reply. */
	edit(change: (fragment: Y.XmlFragment, doc: Y.Doc) => void): Promise<SyncReply> {
		const update = this.change(change);
		if (!update) throw new Error('the change changed nothing');
		return this.send(update);
	}

	/** Appends a paragraph of `text`. */
	append(text: string): Promise<SyncReply> {
		return this.edit((fragment) => fragment.push([paragraph(text)]));
	}

	/** Types `text` at the end of the paragraph that starts with `marker`. */
	type(marker: string, text: string): Promise<SyncReply> {
		return this.edit((fragment) => {
			const node = paragraphText(fragment, marker);
			node.insert(node.length, text);
		});
	}

	send(update: Uint8Array): Promise<SyncReply> {
		return this.#post(updateMessage(update), update);
	}

	#post(message: Uint8Array, update: Uint8Array): Promise<SyncReply> {
		const sent = replyOf(ask(this.socket, 'draft:sync', { draftId: this.draftId, message: toBase64(message) })).then(
			(reply) => {
				if (reply.ok) this.acked.push(update);
				else this.refused.push({ update, code: reply.error.code });
				return reply;
			},
			(error: unknown) => {
				this.lost.push(update);
				throw error;
			}
		);
		const tracked = sent.catch(() => {});
		this.#inFlight.add(tracked);
		void tracked.then(() => this.#inFlight.delete(tracked));
		return sent;
	}

	/** Waits for every update sent so far to be answered (or lost). */
	async settled(): Promise<void> {
		while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
	}

	/** Sets this client's awareness state and sends it. */
	setAwareness(state: Record<string, unknown> | null): Promise<Reply<CommandResults['draft:awareness']>> {
		this.awareness.setLocalState(state);
		return replyOf(
			ask(this.socket, 'draft:awareness', {
				draftId: this.draftId,
				update: toBase64(encodeAwarenessUpdate(this.awareness, [this.doc.clientID]))
			})
		);
	}

	/** The other people's awareness states, by Yjs client id. */
	others(): Map<number, Record<string, unknown>> {
		const states = new Map(this.awareness.getStates());
		states.delete(this.doc.clientID);
		return states as Map<number, Record<string, unknown>>;
	}

	/** Ends the connection and stops the awareness timer. */
	destroy(): void {
		this.socket.disconnect();
		this.doc.destroy();
	}
}

// ---------------------------------------------------------------------------------------------
// The world.

/**
 * 东村's mediator accepted 李秀英's application against 王建国, invited the legal expert, and
 * scheduled a mediation both parties joined by invitation; another case of 东村 has a guest of its
 * own. Cookies for everyone.
 */
export async function setUpDraftCase(app: App) {
	const network = await setUpNetwork(app);
	const caseId = await acceptedCase(app, network);
	await inviteExpert(app, network.eastMediator, { caseId, expertId: network.expert.id }, null);
	const [{ number: caseNumber }] = await app.db
		.select({ number: cases.number })
		.from(cases)
		.where(eq(cases.id, caseId));
	const { sessionId, guests } = await mediationWithGuests(app, network, caseId);
	const otherCaseId = await acceptedCase(app, network, {
		applicant: { name: '赵大海', phone: '13700137000', address: '东村3号' },
		respondents: [{ name: '钱小红', phone: '13600136000' }]
	});
	const {
		guests: [otherGuest]
	} = await mediationWithGuests(app, network, otherCaseId);
	const cookie = (actor: Actor) => accountCookie(app, actor);
	return {
		network,
		caseId,
		caseNumber,
		/** The mediation both parties were invited to. */
		sessionId,
		otherCaseId,
		applicant: guests.find((g) => g.name === '李秀英')!,
		respondent: guests.find((g) => g.name === '王建国')!,
		otherGuest,
		cookies: {
			mediator: await cookie(network.eastMediator),
			mediator2: await cookie(network.eastMediator2),
			townMediator: await cookie(network.townMediator),
			expert: await cookie(network.expert),
			admin: await cookie(network.eastAdmin),
			westMediator: await cookie(network.westMediator),
			gridWorker: await cookie(network.gridWorker)
		}
	};
}
export type DraftCase = Awaited<ReturnType<typeof setUpDraftCase>>;

/** The password 东村's mediator signs with (fixture accounts have none). */
export const MEDIATOR_PASSWORD = 'mediator-password-1';

/** The draft's world, with the mediator able to sign. */
export async function setUpSigningCase(app: App): Promise<DraftCase> {
	const world = await setUpDraftCase(app);
	await app.db
		.update(users)
		.set({ passwordHash: await hashPassword(MEDIATOR_PASSWORD) })
		.where(eq(users.id, world.network.eastMediator.id));
	return world;
}

// ---------------------------------------------------------------------------------------------
// The tests' fixtures.

export type NewClient = (cookie: string, doc?: Y.Doc) => Promise<DraftClient>;

const sides: DraftClient[] = [];

/** A socket test in the draft case's world, with `client` for a draft client of a new connection. */
export const test = socketTest
	.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>)
	.extend('world', async ({ app }) => setUpDraftCase(app))
	.extend('client', async ({ connect }, { onCleanup }): Promise<NewClient> => {
		const clients: DraftClient[] = [];
		onCleanup(() => {
			clients.forEach((client) => client.destroy());
			// Side clients share a connection: only their documents (and awareness timers) go.
			sides.splice(0).forEach((side) => side.doc.destroy());
		});
		return async (cookie, doc) => {
			const socket = connect({ cookie });
			await connected(socket);
			const client = new DraftClient(socket, doc);
			clients.push(client);
			return client;
		};
	});

/** Connects, opens the case's draft and syncs: a client with the draft's content. */
export async function opened(client: NewClient, cookie: string, caseId: string, doc?: Y.Doc): Promise<DraftClient> {
	const c = await client(cookie, doc);
	const reply = await c.open(caseId);
	if (!reply.ok) throw new Error(`draft:open refused: ${reply.error.code}`);
	const answer = await c.sync();
	if (!answer.ok) throw new Error(`sync step 2 refused: ${answer.error.code}`);
	return c;
}

/** A second editor on the same connection: a copy of the client's document (or `from`) under a new Yjs client id. */
export function sideClient(of: DraftClient, from = of.doc): DraftClient {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
	const side = new DraftClient(of.socket, doc);
	side.draftId = of.draftId;
	sides.push(side);
	return side;
}

export const storedUpdates = (app: App, draftId: string) =>
	app.db
		.select({ id: draftUpdates.id, update: draftUpdates.update })
		.from(draftUpdates)
		.where(eq(draftUpdates.draftId, draftId))
		.orderBy(asc(draftUpdates.id));
