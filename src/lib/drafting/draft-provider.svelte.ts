import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ask, CommandError, type CommandSocket } from '$lib/realtime/command-client';
import { pageSocket } from '$lib/realtime/page-socket';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import * as Y from 'yjs';
import { AGREEMENT_FIELD, canonicalText, draftAccess, type DraftAccess } from '$lib/shared/agreement';
import type { ErrorCode, FieldErrors } from '$lib/shared/errors';
import type { RecordOutcome } from '$lib/shared/mediation-record';
import type {
	CommandName,
	CommandPayload,
	CommandResults,
	DraftSnapshot,
	DraftVersionView
} from '$lib/shared/realtime-events';

/** Someone in the draft now, as their awareness state shows them. */
export type DraftPerson = { clientId: number; name: string; color: string; self: boolean };
/** What the status line says: no connection, (re)opening, local changes on their way, or all stored. */
/** Which draft: the case's agreement, or the record of one of its sessions. */
export type DraftTarget = { caseId: string; sessionId?: string };

export type DraftStatus = 'offline' | 'connecting' | 'saving' | 'saved';

/** Cursor moves are sent at most this often. */
const AWARENESS_THROTTLE_MS = 100;
/** While the mediator has not started the draft, others ask again this often. */
const NOT_STARTED_RETRY_MS = 10_000;
/** After a sync the server did not take (timeout, overload), the handshake runs again this much later. */
const RESYNC_MS = 3_000;
/** Why the server may refuse a local change that sending again would not change. */
const REFUSED_FOR_GOOD = new Set<ErrorCode>(['FORBIDDEN', 'VALIDATION', 'PAYLOAD_TOO_LARGE', 'DRAFT_LIMIT']);

const syncMessage = (write: (encoder: encoding.Encoder) => void) => {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
};

/**
 * A case's agreement draft in the browser: the Yjs document and the awareness of who is in it,
 * kept in step with the server over a Socket.io connection of its own with the y-protocols sync
 * and awareness messages. Local changes go out one batch at a time, and "saved" means the server
 * acknowledged them, which it does only once they are in the database. Offline changes stay in
 * the document: after every (re)connection both sides send each other what the other lacks.
 */
export class DraftProvider {
	readonly doc = new Y.Doc();
	readonly awareness = new Awareness(this.doc);

	connected = $state(false);
	/** Both sides have exchanged what the other lacked on this connection. */
	synced = $state(false);
	/** The draft's content arrived once: the editor may show it (and keeps it while offline). */
	loaded = $state(false);
	snapshot = $state<DraftSnapshot | null>(null);
	/** Why the draft cannot be shown: CONFLICT while the mediator has not started it. */
	unavailable = $state<ErrorCode | null>(null);
	/** The frozen version an edit just superseded, until one is frozen again. */
	unfrozen = $state<DraftVersionView | null>(null);
	/** The last command the server refused (or that could not go out: OFFLINE), for the page to tell. */
	lastError = $state<ErrorCode | 'OFFLINE' | null>(null);
	/** What the server found wrong with the last command's fields, by field. */
	lastFields = $state<FieldErrors | null>(null);
	people = $state<DraftPerson[]>([]);
	/** Local changes the server has not acknowledged yet. */
	unsaved = $state(false);
	/**
	 * The document here changed while its person may not write: the server will never take that
	 * change, nor any written after it by the same client, so this copy stays read-only until reloaded.
	 */
	diverged = $state(false);

	readonly access: DraftAccess = $derived(
		this.snapshot
			? draftAccess(this.snapshot.role, {
					partiesMayEdit: this.snapshot.partiesMayEdit,
					frozen: this.snapshot.frozenVersionId !== null
				})
			: 'read'
	);
	/** Whether local changes go to the server: the person may write, and this copy is still the shared one. */
	readonly writable: boolean = $derived(this.access === 'edit' && !this.diverged);
	readonly status: DraftStatus = $derived(
		!this.connected ? 'offline' : !this.synced ? 'connecting' : this.unsaved ? 'saving' : 'saved'
	);

	readonly #target: DraftTarget;
	readonly #socket: CommandSocket;
	#draftId: string | null = null;
	/** Who is present, as the server tells it right before the first `draft:open` answer names the draft. */
	#earlyAwareness: { draftId: string; update: Uint8Array }[] = [];
	/** Local updates not sent yet; merged into one message when the one in flight is acknowledged. */
	#pending: Uint8Array[] = [];
	#sending = false;
	/** Counts connections and resyncs: an answer meant for an earlier one is ignored. */
	#generation = 0;
	#awarenessTimer: ReturnType<typeof setTimeout> | undefined;
	#retryTimer: ReturnType<typeof setTimeout> | undefined;
	#closed = false;

	/**
	 * The case's agreement, or a session's record (`sessionId`). The connection is the page's own by
	 * default; the cookies of the page authenticate it.
	 */
	constructor(target: DraftTarget, socket: CommandSocket = pageSocket()) {
		this.#target = target;
		this.#socket = socket;
		this.#listen();
		this.doc.on('update', this.#onLocalUpdate);
		this.awareness.on('update', this.#onAwarenessUpdate);
		this.awareness.on('change', this.#onPeopleChange);
	}

	start(): void {
		this.#socket.connect();
	}

	/** The name of whoever wrote with a Yjs client: the draft's record, else who is here with it. */
	authorName(client: number): string | null {
		if (client === this.doc.clientID && this.snapshot) return this.snapshot.me.name;
		return (
			this.snapshot?.authors[String(client)] ?? this.people.find((person) => person.clientId === client)?.name ?? null
		);
	}

	/** The draft as it reads now, in the canonical text that versions keep and signing signs. */
	currentText(): string {
		return canonicalText(yXmlFragmentToProsemirrorJSON(this.doc.getXmlFragment(AGREEMENT_FIELD)));
	}

	setPartiesMayEdit = (allowed: boolean) => this.#command('draft:setPartiesMayEdit', { allowed });
	saveVersion = (name: string) => this.#command('draft:saveVersion', { name });
	restoreVersion = (versionId: string) => this.#command('draft:restoreVersion', { versionId });
	freeze = (versionId: string) => this.#command('draft:freeze', { versionId });
	unfreeze = () => this.#command('draft:unfreeze', {});
	setRecordOutcome = (outcome: RecordOutcome) => this.#command('draft:setRecordOutcome', { outcome });
	comment = (comment: { kind: 'comment' | 'suggestion'; quote?: string; body: string }) =>
		this.#command('draft:comment', comment);
	resolveComment = (commentId: string) => this.#command('draft:resolveComment', { commentId });
	sign = (versionId: string, signature: Uint8Array, secret: string) =>
		this.#command('draft:sign', { versionId, signature, secret });
	seal = () => this.#command('draft:seal', {});
	/** The mediator's device: who present in the office may sign on it now. */
	inPersonSigners = () => this.#command('draft:inPersonSigners', {});
	/** A signer present in the office signs on the mediator's device. */
	signInPerson = (payload: Omit<CommandPayload<'draft:signInPerson'>, 'draftId'>) =>
		this.#command('draft:signInPerson', payload);

	/** Leaves the draft: the server drops this person's presence with the connection. */
	destroy(): void {
		if (this.#closed) return;
		this.#closed = true;
		clearTimeout(this.#awarenessTimer);
		clearTimeout(this.#retryTimer);
		this.doc.off('update', this.#onLocalUpdate);
		this.awareness.off('update', this.#onAwarenessUpdate);
		this.awareness.off('change', this.#onPeopleChange);
		this.awareness.destroy();
		this.#socket.disconnect();
	}

	#listen(): void {
		const socket = this.#socket;
		socket.on('connect', () => {
			this.connected = true;
			void this.#open();
		});
		socket.on('disconnect', () => {
			this.connected = false;
			this.#lose();
		});
		socket.on('connect_error', (error) => {
			const code = (error as Error & { data?: { code?: ErrorCode } }).data?.code;
			// Refused at the handshake (not logged in, invitation ended): Socket.io does not retry.
			if (code) this.unavailable = code;
		});
		socket.on('session:ended', () => (this.unavailable = 'UNAUTHENTICATED'));
		socket.on('draft:sync', ({ draftId, message }) => {
			if (draftId === this.#draftId) this.#read(fromBase64(message));
		});
		socket.on('draft:awareness', ({ draftId, update }) => {
			if (!this.#draftId) this.#earlyAwareness.push({ draftId, update: fromBase64(update) });
			else if (draftId === this.#draftId) applyAwarenessUpdate(this.awareness, fromBase64(update), this);
		});
		socket.on('draft:changed', ({ draftId, snapshot, unfrozen }) => {
			if (draftId !== this.#draftId || !this.snapshot) return;
			this.snapshot = { ...this.snapshot, ...snapshot };
			if (unfrozen) this.unfrozen = unfrozen;
			if (snapshot.frozenVersionId) this.unfrozen = null;
		});
		socket.on('draft:comment', ({ draftId, comment }) => {
			if (draftId !== this.#draftId || !this.snapshot) return;
			const { comments } = this.snapshot;
			const known = comments.some((c) => c.id === comment.id);
			this.snapshot = {
				...this.snapshot,
				comments: known ? comments.map((c) => (c.id === comment.id ? comment : c)) : [...comments, comment]
			};
		});
	}

	/** Opens the draft on this connection, then runs the sync handshake. */
	async #open(): Promise<void> {
		clearTimeout(this.#retryTimer);
		let snapshot: DraftSnapshot;
		try {
			snapshot = await ask(this.#socket, 'draft:open', this.#target);
		} catch (error) {
			const code = error instanceof CommandError ? error.code : 'INTERNAL';
			this.unavailable = code;
			if (code === 'CONFLICT' || code === 'INTERNAL') {
				this.#retryTimer = setTimeout(() => this.connected && void this.#open(), NOT_STARTED_RETRY_MS);
			}
			return;
		}
		this.unavailable = null;
		this.#draftId = snapshot.draftId;
		this.snapshot = snapshot;
		for (const { draftId, update } of this.#earlyAwareness.splice(0)) {
			if (draftId === snapshot.draftId) applyAwarenessUpdate(this.awareness, update, this);
		}
		// Someone arriving after an edit superseded the frozen version is told as well.
		this.unfrozen = snapshot.frozenVersionId
			? null
			: (snapshot.versions.findLast((version) => version.sha256 && version.supersededAt) ?? null);
		await this.#sync();
		// A new clock, so that the server takes this person's presence again after a reconnection.
		if (this.awareness.getLocalState() !== null) this.awareness.setLocalState(this.awareness.getLocalState());
	}

	/**
	 * Sends the local state vector; the answer carries what the server has that this document
	 * lacks, and the server's own state vector, answered with everything it lacks from here:
	 * offline changes included, so nothing queued separately is needed.
	 */
	async #sync(): Promise<void> {
		const generation = ++this.#generation;
		this.#sending = false;
		this.synced = false;
		let messages: string[];
		try {
			({ messages } = await ask(this.#socket, 'draft:sync', {
				draftId: this.#draftId!,
				message: toBase64(syncMessage((e) => sync.writeSyncStep1(e, this.doc)))
			}));
		} catch (error) {
			if (generation !== this.#generation) return;
			this.lastError = (error as CommandError).code;
			this.#resyncLater(generation);
			return;
		}
		if (generation !== this.#generation) return;
		for (const message of messages) {
			const answer = this.#read(fromBase64(message));
			if (!answer) continue;
			this.synced = true;
			this.loaded = true;
			this.#pending = [];
			// Someone who may not write has nothing to give; their answer would only be refused.
			if (this.writable) this.#send(answer);
			else this.unsaved = false;
		}
	}

	/** Applies a sync message from the server; returns the answer to a step 1. */
	#read(message: Uint8Array): Uint8Array | null {
		const encoder = encoding.createEncoder();
		const type = sync.readSyncMessage(decoding.createDecoder(message), encoder, this.doc, this);
		return type === sync.messageYjsSyncStep1 ? encoding.toUint8Array(encoder) : null;
	}

	/** The connection went: whatever was in flight is sent again by the next handshake. */
	#lose(): void {
		this.#generation++;
		this.#sending = false;
		this.synced = false;
		if (this.#pending.length) this.unsaved = true;
	}

	readonly #onLocalUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === this) return;
		if (!this.writable) {
			this.diverged = true;
			return;
		}
		this.#pending.push(update);
		this.unsaved = true;
		this.#flush();
	};

	#flush(): void {
		if (!this.synced || this.#sending || !this.#pending.length) return;
		const update = Y.mergeUpdates(this.#pending);
		this.#pending = [];
		this.#send(syncMessage((e) => sync.writeUpdate(e, update)));
	}

	/** Sends one sync message; the next waits for its acknowledgement. */
	#send(message: Uint8Array): void {
		const generation = this.#generation;
		this.#sending = true;
		this.unsaved = true;
		ask(this.#socket, 'draft:sync', { draftId: this.#draftId!, message: toBase64(message) }).then(
			() => {
				if (generation !== this.#generation) return;
				this.#sending = false;
				if (this.#pending.length) this.#flush();
				else this.unsaved = false;
			},
			(error: CommandError) => {
				if (generation !== this.#generation) return;
				this.lastError = error.code;
				if (REFUSED_FOR_GOOD.has(error.code)) {
					// Refused for good (the edit right withdrawn meanwhile, say): the change stays on
					// this screen only, and what this client writes after it could never be placed.
					this.#sending = false;
					this.unsaved = false;
					this.#pending = [];
					this.diverged = true;
					return;
				}
				// Not stored (timeout, overload): the handshake sends whatever the server lacks.
				this.#resyncLater(generation);
			}
		);
	}

	#resyncLater(generation: number): void {
		clearTimeout(this.#retryTimer);
		this.#retryTimer = setTimeout(() => {
			if (this.connected && generation === this.#generation) void this.#sync();
		}, RESYNC_MS);
	}

	readonly #onAwarenessUpdate = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	) => {
		if (origin !== 'local' || ![...added, ...updated, ...removed].includes(this.doc.clientID)) return;
		this.#awarenessTimer ??= setTimeout(() => {
			this.#awarenessTimer = undefined;
			if (!this.connected || !this.#draftId) return;
			const update = encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
			ask(this.#socket, 'draft:awareness', { draftId: this.#draftId, update: toBase64(update) }).catch(() => {});
		}, AWARENESS_THROTTLE_MS);
	};

	readonly #onPeopleChange = () => {
		const people: DraftPerson[] = [];
		for (const [clientId, state] of this.awareness.getStates()) {
			const user = state.user as { name?: unknown; color?: unknown } | undefined;
			if (typeof user?.name !== 'string') continue;
			const color = typeof user.color === 'string' ? user.color : '#5f5a56';
			people.push({ clientId, name: user.name, color, self: clientId === this.doc.clientID });
		}
		this.people = people;
	};

	async #command<E extends CommandName>(
		event: E,
		payload: Omit<CommandPayload<E>, 'draftId'>
	): Promise<CommandResults[E] | undefined> {
		this.lastError = null;
		this.lastFields = null;
		if (!this.#draftId || !this.synced) {
			this.lastError = 'OFFLINE';
			return undefined;
		}
		try {
			return await ask(this.#socket, event, { ...payload, draftId: this.#draftId } as CommandPayload<E>);
		} catch (error) {
			this.lastError = error instanceof CommandError ? error.code : 'INTERNAL';
			this.lastFields = error instanceof CommandError ? (error.fields ?? null) : null;
			return undefined;
		}
	}
}
