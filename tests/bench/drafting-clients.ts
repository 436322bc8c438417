/**
 * The typists of the drafting benchmark, one kind per server: the project's draft protocol over
 * Socket.io (`draft:open`, then y-protocols sync messages in `draft:sync`, sent the way the
 * browser's DraftProvider sends them) and the stock y-websocket provider. Both keep a Yjs document
 * whose `agreement` fragment holds the paragraph everyone types into, and both report the bytes
 * their TCP connection carried.
 */
import { createHash } from 'node:crypto';
import type { Socket as NetSocket } from 'node:net';
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DraftStore } from '#server/agreements/draft-store.ts';
import { AGREEMENT_FIELD } from '#shared/agreement.ts';
import { ask, type CommandSocket } from '../../src/lib/realtime/command-client.ts';

/** Changes that came from a server: never sent back. */
const REMOTE = Symbol('remote');
/** A loaded server answers slowly: a typist waits longer than a page would. */
const ASK = { timeoutMs: 30_000 };

/** What a typist's connection carried, in TCP payload bytes (WebSocket frames with their headers). */
export type Bytes = { sent: number; received: number };

export abstract class Typist {
	readonly doc = new Y.Doc();
	/** Messages sent that carried local changes. */
	messages = 0;
	/** Where this person types: just after the character they typed last. */
	#cursor: Y.RelativePosition | null = null;

	get fragment(): Y.XmlFragment {
		return this.doc.getXmlFragment(AGREEMENT_FIELD);
	}

	/** The text node of the paragraph that starts with `marker`, once it is here. */
	paragraph(marker: string): Y.XmlText | null {
		for (const node of this.fragment.toArray()) {
			if (!(node instanceof Y.XmlElement) || node.nodeName !== 'paragraph') continue;
			const text = node.get(0);
			if (text instanceof Y.XmlText && text.toString().startsWith(marker)) return text;
		}
		return null;
	}

	/**
	 * Types one character into `text`, at this person's cursor (or at `start` the first time), and
	 * returns the Yjs clock it took: that character's id is (doc.clientID, clock).
	 */
	type(text: Y.XmlText, character: string, start: number): number {
		const at = this.#cursor
			? (Y.createAbsolutePositionFromRelativePosition(this.#cursor, this.doc)?.index ?? text.length)
			: Math.min(start, text.length);
		const clock = Y.getState(this.doc.store, this.doc.clientID);
		text.insert(at, character);
		// Attached to the character just typed (assoc −1), as an editor's caret after it.
		this.#cursor = Y.createRelativePositionFromTypeIndex(text, at + 1, -1);
		return clock;
	}

	abstract bytes(): Bytes;
	/** Resolves once everything typed so far has been acknowledged (at once when nothing acknowledges). */
	abstract settled(): Promise<void>;
	abstract close(): void;
}

const tcpBytes = (socket: NetSocket | undefined): Bytes => ({
	sent: socket?.bytesWritten ?? 0,
	received: socket?.bytesRead ?? 0
});

const syncMessage = (write: (encoder: encoding.Encoder) => void) => {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
};

/**
 * A person on the project's server. Sends as the browser's DraftProvider does: one `draft:sync`
 * update message in flight at a time, acknowledged once stored; whatever is typed meanwhile is
 * merged into the next message. `onAcked` hears of each acknowledgement with the ops it carried.
 */
export class ProjectTypist extends Typist {
	readonly socket: CommandSocket;
	draftId = '';
	/** Local updates not sent yet, with the moments their ops were typed. */
	#pending: Uint8Array[] = [];
	#pendingOps: number[] = [];
	#inFlight: Promise<void> | null = null;
	#synced = false;
	#typedAt: number | null = null;
	onAcked: (typedAt: number[], at: number) => void = () => {};

	constructor(url: string, cookie: string) {
		super();
		this.socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie } });
		this.socket.on('draft:sync', ({ draftId, message }) => {
			if (draftId === this.draftId) this.#read(fromBase64(message));
		});
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === REMOTE) return;
			this.#pending.push(update);
			if (this.#typedAt !== null) this.#pendingOps.push(this.#typedAt);
			this.#flush();
		});
	}

	connected(): Promise<void> {
		return new Promise((resolve, reject) => {
			this.socket.once('connect', () => resolve());
			this.socket.once('connect_error', reject);
		});
	}

	/** Opens the case's draft and runs the y-protocols handshake. */
	async open(caseId: string): Promise<void> {
		this.draftId = (await ask(this.socket, 'draft:open', { caseId }, ASK)).draftId;
		const step1 = toBase64(syncMessage((e) => sync.writeSyncStep1(e, this.doc)));
		const { messages } = await ask(this.socket, 'draft:sync', { draftId: this.draftId, message: step1 }, ASK);
		for (const message of messages) {
			const answer = this.#read(fromBase64(message));
			if (answer) await ask(this.socket, 'draft:sync', { draftId: this.draftId, message: toBase64(answer) }, ASK);
		}
		this.#synced = true;
		this.#flush();
	}

	override type(text: Y.XmlText, character: string, start: number): number {
		this.#typedAt = performance.now();
		try {
			return super.type(text, character, start);
		} finally {
			this.#typedAt = null;
		}
	}

	/** Applies a sync message from the server; returns the answer to its step 1. */
	#read(message: Uint8Array): Uint8Array | null {
		const encoder = encoding.createEncoder();
		const type = sync.readSyncMessage(decoding.createDecoder(message), encoder, this.doc, REMOTE);
		return type === sync.messageYjsSyncStep1 ? encoding.toUint8Array(encoder) : null;
	}

	#flush(): void {
		if (!this.#synced || this.#inFlight || !this.#pending.length) return;
		const update = Y.mergeUpdates(this.#pending);
		const ops = this.#pendingOps;
		this.#pending = [];
		this.#pendingOps = [];
		this.messages++;
		const message = toBase64(syncMessage((e) => sync.writeUpdate(e, update)));
		this.#inFlight = ask(this.socket, 'draft:sync', { draftId: this.draftId, message }, ASK).then(() => {
			this.onAcked(ops, performance.now());
			this.#inFlight = null;
			this.#flush();
		});
	}

	async settled(): Promise<void> {
		while (this.#inFlight) await this.#inFlight;
	}

	bytes(): Bytes {
		const transport = this.socket.io.engine?.transport as unknown as { ws?: { _socket?: NetSocket } } | undefined;
		return tcpBytes(transport?.ws?._socket);
	}

	close(): void {
		this.socket.disconnect();
		this.doc.destroy();
	}
}

/**
 * A person on the stock y-websocket server: the y-websocket package's own provider, in Node on the
 * `ws` WebSocket, without the BroadcastChannel it would otherwise use between documents of one
 * process, and without an awareness state (the project's typists send none either).
 */
export class ReferenceTypist extends Typist {
	readonly provider: WebsocketProvider;

	constructor(url: string, room: string) {
		super();
		const awareness = new Awareness(this.doc);
		awareness.setLocalState(null);
		this.provider = new WebsocketProvider(url, room, this.doc, {
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true,
			awareness
		});
		this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin !== this.provider) this.messages++;
		});
	}

	synced(): Promise<void> {
		if (this.provider.synced) return Promise.resolve();
		return new Promise((resolve) => this.provider.once('sync', () => resolve()));
	}

	async settled(): Promise<void> {}

	bytes(): Bytes {
		return tcpBytes((this.provider.ws as unknown as { _socket?: NetSocket } | null)?._socket);
	}

	close(): void {
		this.provider.destroy();
		this.doc.destroy();
	}
}

/**
 * What two copies must agree on to be the same document, read from a copy made of
 * `Y.encodeStateAsUpdate` (so that how each copy's structs happen to be split does not matter):
 * the bytes of that copy's own full update, its state vector and delete set, its XML and the
 * agreement's canonical text.
 */
export type Fingerprint = { update: string; stateVector: string; deleteSet: string; xml: string; text: string };

export function fingerprint(doc: Y.Doc): Fingerprint {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
	const deleted = [...Y.createDeleteSetFromStructStore(copy.store).clients]
		.map(([client, items]) => [client, items.map((i) => [i.clock, i.len])] as const)
		.sort((a, b) => a[0] - b[0]);
	const print = {
		update: sha(Y.encodeStateAsUpdate(copy)),
		stateVector: sha(Y.encodeStateVector(copy)),
		deleteSet: sha(JSON.stringify(deleted)),
		xml: copy.getXmlFragment(AGREEMENT_FIELD).toString(),
		text: DraftStore.contentOf(copy).text
	};
	copy.destroy();
	return print;
}
