import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { applyAwarenessUpdate, Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AGREEMENT_FIELD, agreementBlocks, canonicalText, type AgreementBlock } from '#shared/agreement.ts';
import type { DraftMeasure } from '#shared/draft-limits.ts';
import type { DraftKind } from '#shared/mediation-record.ts';
import { AppError } from '#shared/errors.ts';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import type { Database, Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { agreementDrafts, draftAuthors, draftSnapshots, draftUpdates } from '../db/schema.ts';
import { compactDraft } from './compact-draft.ts';
import type { DraftAuthor } from './draft-role.ts';
import { inspectUpdate } from './inspect-update.ts';
import { measureAfter } from './measure-draft.ts';

/** A version's document (its stored Yjs state) as printed: headings, paragraphs and clauses as written. */
export function frozenBlocks(state: Uint8Array): AgreementBlock[] {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	return agreementBlocks(DraftStore.contentOf(doc).json);
}

/** Updates stored after the snapshot before the draft is compacted in the background. */
const COMPACT_AFTER = 200;

const READ_TOGETHER = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const;

/** A frozen version an edit superseded. */
export type Superseded = { id: string; name: string } | null;

/** An update applied in memory and waiting for its turn to be written. */
type Unstored = {
	update: Uint8Array;
	author: DraftAuthor;
	/** Client ids first seen in this update: they become the author's. */
	fresh: number[];
	resolve: (superseded: Superseded) => void;
	reject: (error: unknown) => void;
};

/** A draft held in memory: the authoritative document, who is in it, and who wrote with which client. */
export type LiveDraft = {
	readonly id: string;
	readonly caseId: string;
	readonly kind: DraftKind;
	/** The session a record is of. */
	readonly sessionId: string | null;
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	/** Yjs client id → author key and name. */
	readonly authors: Map<number, DraftAuthor>;
	/** Yjs client id → the connection showing that presence, and whose it is. */
	readonly presence: Map<number, { connection: string; author: string }>;
	/** The document against its limits, at most this; none when not measured since loading or another process's update. */
	measure: DraftMeasure | null;
	/** Updates stored since the last compaction. */
	stored: number;
	/** Changes to one draft are checked and applied one after another, in the order they came. */
	queue: Promise<unknown>;
	/** Applied updates not written yet, and the write of those before them under way. */
	unstored: Unstored[];
	storing: Promise<void> | null;
	/** A write failed: this copy holds what the database does not, and is let go. */
	lost: boolean;
};

/** What applying an update did: nothing (empty), or applied; `stored` settles once it is in PostgreSQL. */
export type Applied = {
	applied: boolean;
	/** Someone wrote with a client id new to the draft: the list of who wrote what changed. */
	newAuthors: boolean;
	/** The update's client ids and their authors. */
	authors: [number, DraftAuthor][];
	/** Resolves once the update is committed, with the frozen version it superseded. */
	stored: Promise<Superseded>;
};

const NOTHING: Applied = { applied: false, newAuthors: false, authors: [], stored: Promise.resolve(null) };

/**
 * The drafts this process holds, each loaded once from PostgreSQL (snapshot plus later updates).
 * Every change goes through `apply`: checked and applied in memory (later updates are checked
 * against it), then written together with whatever else arrived while the write before it was
 * under way, one transaction for them all (group commit). Nobody hears of an update before it is
 * committed; a failed write lets go of the copy in memory, so the draft is read anew.
 * A draft stays in memory while someone has it open (`hold`, `release`) or a change to it is under
 * way, and is let go after: another process's updates to it are then in the database it is read
 * from next time.
 */
export class DraftStore {
	readonly #database: Pick<Database, 'db' | 'prepared' | 'driver'>;
	readonly #db: Db;
	readonly #log: Logger;
	readonly #drafts = new Map<string, Promise<LiveDraft>>();
	/**
	 * On a PostgreSQL server a draft's commit need not wait for the disk: its WAL writer flushes it
	 * within a fraction of a second, so a crash of this process loses nothing acknowledged, one of
	 * PostgreSQL or the machine at most the last moment of typing (see the README). Embedded PGlite
	 * has no WAL writer: such a commit would stay in memory until some later flush, and a crash of
	 * the app would lose it, so there every commit waits for the disk.
	 */
	readonly #commitWithoutWaiting: SQL;
	/** Per draft, how many have it open and how many of its changes and writes are under way. */
	readonly #uses = new Map<string, number>();

	constructor(database: Pick<Database, 'db' | 'prepared' | 'driver'>, log: Logger) {
		this.#database = database;
		this.#db = database.db;
		this.#log = log;
		this.#commitWithoutWaiting =
			database.driver === 'postgres' ? sql`, set_config('synchronous_commit', 'off', true)` : sql``;
	}

	/** The draft, loaded if it is not in memory; let go again after, unless someone holds it. */
	live(draftId: string): Promise<LiveDraft> {
		const held = this.#drafts.get(draftId);
		if (held) return held;
		const loading = this.#load(draftId);
		this.#drafts.set(draftId, loading);
		loading.then(
			() => {
				if (!this.#uses.has(draftId)) this.#letGo(draftId, loading);
			},
			() => this.#letGo(draftId, loading)
		);
		return loading;
	}

	/** Someone opened the draft: it stays in memory until they `release` it (also if it failed to load). */
	hold(draftId: string): Promise<LiveDraft> {
		this.#use(draftId);
		return this.live(draftId);
	}

	release(draftId: string): void {
		this.#done(draftId);
	}

	/** Whether the draft is in memory. */
	has(draftId: string): boolean {
		return this.#drafts.has(draftId);
	}

	/** The draft's content as the editor's JSON, and its canonical text. */
	static contentOf(doc: Y.Doc) {
		const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(AGREEMENT_FIELD));
		return { json, text: canonicalText(json) };
	}

	/**
	 * Applies an update someone sent and queues it to be stored. Their client ids become theirs; an
	 * update carrying another author's client id is refused. The first edit after a version was
	 * frozen for signing supersedes that version. Without an author (someone who may not write)
	 * only an empty update is taken, as nothing.
	 */
	apply(draftId: string, update: Uint8Array, author: DraftAuthor | null): Promise<Applied> {
		return this.#inOrder(draftId, async (draft) => {
			const { clients, empty, growth } = inspectUpdate(update, draft.doc);
			if (empty) return NOTHING;
			if (!author) throw new AppError('FORBIDDEN');
			const fresh = clients.filter((client) => !draft.authors.has(client));
			if (clients.some((client) => draft.authors.get(client)?.key !== author.key && !fresh.includes(client))) {
				throw new AppError('FORBIDDEN');
			}
			draft.measure = measureAfter(draft.doc, draft.measure, update, growth);
			for (const client of fresh) draft.authors.set(client, author);
			Y.applyUpdate(draft.doc, update, author);
			const stored = new Promise<Superseded>((resolve, reject) =>
				draft.unstored.push({ update, author, fresh, resolve, reject })
			);
			// Whoever applies it awaits this; a failure nobody awaited must not end the process.
			stored.catch(() => undefined);
			draft.storing ??= this.#storeAll(draft);
			return { applied: true, newAuthors: fresh.length > 0, authors: clients.map((c) => [c, author]), stored };
		});
	}

	/** An update another process applied: this process's copy follows. */
	follow(draftId: string, update: Uint8Array, authors: [number, DraftAuthor][]): void {
		const loaded = this.#drafts.get(draftId);
		if (!loaded) return;
		loaded
			.then((draft) => {
				for (const [client, author] of authors) draft.authors.set(client, author);
				Y.applyUpdate(draft.doc, update, 'remote');
				draft.measure = null;
			})
			.catch((error) => this.#log.error({ err: error, draftId }, 'update from another process not applied'));
	}

	/** Someone's presence changed in another process: this process's copy follows, for newcomers here. */
	followAwareness(draftId: string, update: Uint8Array): void {
		this.#drafts
			.get(draftId)
			?.then((draft) => applyAwarenessUpdate(draft.awareness, update, 'remote'))
			.catch((error) => this.#log.error({ err: error, draftId }, 'presence from another process not applied'));
	}

	/** Lets go of every draft held, and of their awareness timers: the app is closing. */
	async close(): Promise<void> {
		const loaded = [...this.#drafts.values()];
		this.#drafts.clear();
		this.#uses.clear();
		for (const draft of await Promise.allSettled(loaded)) {
			if (draft.status === 'fulfilled') draft.value.doc.destroy();
		}
	}

	/**
	 * Runs `change` on the draft after every change before it is applied and stored, and before
	 * any after it is applied: what it reads of the document is in the database.
	 */
	serially<T>(draftId: string, change: (draft: LiveDraft) => Promise<T>): Promise<T> {
		return this.#inOrder(draftId, async (draft) => {
			while (draft.storing) await draft.storing;
			if (draft.lost) throw new AppError('UNAVAILABLE');
			return change(draft);
		});
	}

	#inOrder<T>(draftId: string, change: (draft: LiveDraft) => Promise<T>): Promise<T> {
		this.#use(draftId);
		return this.live(draftId)
			.then((draft) => {
				const run = draft.queue.then(() => {
					if (draft.lost) throw new AppError('UNAVAILABLE');
					return change(draft);
				});
				draft.queue = run.catch(() => undefined);
				return run;
			})
			.finally(() => this.#done(draftId));
	}

	#use(draftId: string): void {
		this.#uses.set(draftId, (this.#uses.get(draftId) ?? 0) + 1);
	}

	/** A use ended; after the last, the draft is let go. */
	#done(draftId: string): void {
		const left = (this.#uses.get(draftId) ?? 1) - 1;
		if (left > 0) return void this.#uses.set(draftId, left);
		this.#uses.delete(draftId);
		const loading = this.#drafts.get(draftId);
		if (loading) this.#letGo(draftId, loading);
	}

	/** Forgets the draft, and ends its awareness's timer with the document. */
	#letGo(draftId: string, loading: Promise<LiveDraft>): void {
		if (this.#drafts.get(draftId) !== loading) return;
		this.#drafts.delete(draftId);
		loading.then(
			(draft) => draft.doc.destroy(),
			() => undefined
		);
	}

	/** Writes the draft's unstored updates, a transaction for all that queued up during the one before. */
	async #storeAll(draft: LiveDraft): Promise<void> {
		this.#use(draft.id);
		while (draft.unstored.length && !draft.lost) {
			const batch = draft.unstored.splice(0);
			try {
				const superseded = await this.#write(draft.id, batch);
				// Told once: the first update of the batch is the edit that superseded the version.
				batch.forEach((unstored, index) => unstored.resolve(index === 0 ? superseded : null));
				draft.stored += batch.length;
				if (draft.stored >= COMPACT_AFTER) this.#compact(draft);
			} catch (error) {
				this.#log.error({ err: error, draftId: draft.id }, 'draft updates not stored; the draft is reloaded');
				// Later updates may build on these: none of them can be stored now. The next use of
				// the draft loads it from the database, and the clients' handshakes send what it lacks.
				draft.lost = true;
				this.#drafts.delete(draft.id);
				draft.doc.destroy();
				for (const unstored of [...batch, ...draft.unstored.splice(0)]) unstored.reject(new AppError('UNAVAILABLE'));
			}
		}
		draft.storing = null;
		this.#done(draft.id);
	}

	/**
	 * One prepared statement, so one round trip and its own transaction: the draft's row lock, the
	 * updates, their new authors, and the frozen version the first edit after freezing supersedes.
	 */
	async #write(draftId: string, batch: Unstored[]): Promise<Superseded> {
		const updates = batch.map(({ update }) => sql`(${draftId}::uuid, ${Buffer.from(update)}::bytea)`);
		const authors = batch.flatMap(({ fresh, author }) =>
			fresh.map((client) => sql`(${draftId}::uuid, ${client}::bigint, ${author.key}, ${author.name})`)
		);
		const [superseded] = await this.#database.prepared<{ id: string; name: string }>(
			sql`
				with draft as (
					-- The row lock first: the inserts' foreign keys take a key-share lock on the row, and
					-- two processes upgrading theirs to this one at once would deadlock. It is the lock
					-- the update below needs, which leaves key-share locks alone: a compaction's does not
					-- hold typing up.
					select frozen_version_id${this.#commitWithoutWaiting}
					from agreement_drafts where id = ${draftId} for no key update
				),
				stored as (insert into draft_updates (draft_id, update) values ${sql.join(updates, sql`, `)}),
				${authors.length ? sql`authored as (insert into draft_authors (draft_id, client_id, author, author_name) values ${sql.join(authors, sql`, `)}),` : sql``}
				unfrozen as (
					update agreement_drafts set frozen_version_id = null from draft
					where agreement_drafts.id = ${draftId} and draft.frozen_version_id is not null
					returning draft.frozen_version_id as version_id
				)
				update draft_versions set superseded_at = now() from unfrozen
				where draft_versions.id = unfrozen.version_id
				returning draft_versions.id, draft_versions.name`
		);
		return superseded ?? null;
	}

	#compact(draft: LiveDraft): void {
		draft.stored = 0;
		compactDraft(this.#db, draft.id).catch((error) =>
			this.#log.error({ err: error, draftId: draft.id }, 'draft compaction failed')
		);
	}

	async #load(draftId: string): Promise<LiveDraft> {
		// One snapshot of the database for all the reads: a compaction committing meanwhile is seen
		// whole (new snapshot, its updates gone) or not at all.
		const { target, snapshot, updates, authors } = await this.#db.transaction(async (tx) => {
			const [draft] = await tx
				.select({ caseId: agreementDrafts.caseId, kind: agreementDrafts.kind, sessionId: agreementDrafts.sessionId })
				.from(agreementDrafts)
				.where(eq(agreementDrafts.id, draftId));
			if (!draft) throw new AppError('NOT_FOUND');
			const [snapshot] = await tx.select().from(draftSnapshots).where(eq(draftSnapshots.draftId, draftId));
			const updates = await tx
				.select({ update: draftUpdates.update })
				.from(draftUpdates)
				.where(eq(draftUpdates.draftId, draftId))
				.orderBy(asc(draftUpdates.id));
			const authors = await tx.select().from(draftAuthors).where(eq(draftAuthors.draftId, draftId));
			return { target: draft, snapshot, updates, authors };
		}, READ_TOGETHER);
		const doc = new Y.Doc();
		doc.transact(() => {
			if (snapshot) Y.applyUpdate(doc, snapshot.state);
			for (const { update } of updates) Y.applyUpdate(doc, update);
		});
		const draft: LiveDraft = {
			id: draftId,
			...target,
			doc,
			awareness: new Awareness(doc),
			authors: new Map(authors.map((a) => [a.clientId, { key: a.author, name: a.authorName }])),
			presence: new Map(),
			measure: null,
			stored: updates.length,
			queue: Promise.resolve(),
			unstored: [],
			storing: null,
			lost: false
		};
		// The server's own awareness state would show it as a person in the document.
		draft.awareness.setLocalState(null);
		if (draft.stored >= COMPACT_AFTER) this.#compact(draft);
		return draft;
	}
}
