import { asc, eq } from 'drizzle-orm';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { AGREEMENT_FIELD, canonicalText } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { agreementDrafts, draftAuthors, draftSnapshots, draftUpdates, draftVersions } from '../db/schema.ts';
import { compactDraft } from './compact-draft.ts';
import type { DraftAuthor } from './draft-role.ts';
import { inspectUpdate } from './inspect-update.ts';

/** Updates stored after the snapshot before the draft is compacted in the background. */
const COMPACT_AFTER = 200;

/** A draft held in memory: the authoritative document, who is in it, and who wrote with which client. */
export type LiveDraft = {
	readonly id: string;
	readonly caseId: string;
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	/** Yjs client id → author key and name. */
	readonly authors: Map<number, DraftAuthor>;
	/** Updates stored since the last compaction. */
	stored: number;
	/** Changes to one draft are stored and applied one after another, in the order they came. */
	queue: Promise<unknown>;
};

/** What applying an update did: nothing (empty), or stored and applied; the frozen version it superseded. */
export type Applied = {
	applied: boolean;
	superseded: { id: string; name: string } | null;
	/** Someone wrote with a client id new to the draft: the list of who wrote what changed. */
	newAuthors: boolean;
};

/**
 * The drafts this process holds, each loaded once from PostgreSQL (snapshot plus later updates).
 * Every change goes through `apply`: checked, written to the database, and only then applied in
 * memory, so what a client is told was taken survives a crash of the process.
 */
export class DraftStore {
	readonly #db: Db;
	readonly #log: Logger;
	readonly #drafts = new Map<string, Promise<LiveDraft>>();

	constructor(db: Db, log: Logger) {
		this.#db = db;
		this.#log = log;
	}

	live(draftId: string): Promise<LiveDraft> {
		let loading = this.#drafts.get(draftId);
		if (!loading) {
			loading = this.#load(draftId);
			this.#drafts.set(draftId, loading);
			loading.catch(() => this.#drafts.delete(draftId));
		}
		return loading;
	}

	/** The draft's content as the editor's JSON, and its canonical text. */
	static contentOf(doc: Y.Doc) {
		const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(AGREEMENT_FIELD));
		return { json, text: canonicalText(json) };
	}

	/**
	 * Stores and applies an update someone sent. Their client ids become theirs; an update
	 * carrying another author's client id is refused. The first edit after a version was frozen
	 * for signing supersedes that version. Without an author (someone who may not write) only an
	 * empty update is taken, as nothing.
	 */
	apply(draftId: string, update: Uint8Array, author: DraftAuthor | null): Promise<Applied> {
		return this.serially(draftId, async (draft) => {
			const { clients, empty } = inspectUpdate(update, Y.decodeStateVector(Y.encodeStateVector(draft.doc)), () =>
				Y.createDeleteSetFromStructStore(draft.doc.store)
			);
			if (empty) return { applied: false, superseded: null, newAuthors: false };
			if (!author) throw new AppError('FORBIDDEN');
			const fresh = clients.filter((client) => !draft.authors.has(client));
			if (clients.some((client) => draft.authors.get(client)?.key !== author.key && !fresh.includes(client))) {
				throw new AppError('FORBIDDEN');
			}
			const superseded = await this.#db.transaction(async (tx) => {
				// The draft's row lock first: the inserts below take a key-share lock on it, and two
				// processes upgrading theirs to this one at once would deadlock.
				const [row] = await tx
					.select({ frozenVersionId: agreementDrafts.frozenVersionId })
					.from(agreementDrafts)
					.where(eq(agreementDrafts.id, draftId))
					.for('update');
				await tx.insert(draftUpdates).values({ draftId, update: Buffer.from(update) });
				if (fresh.length) {
					await tx
						.insert(draftAuthors)
						.values(fresh.map((clientId) => ({ draftId, clientId, author: author.key, authorName: author.name })));
				}
				if (!row?.frozenVersionId) return null;
				await tx.update(agreementDrafts).set({ frozenVersionId: null }).where(eq(agreementDrafts.id, draftId));
				const [version] = await tx
					.update(draftVersions)
					.set({ supersededAt: new Date() })
					.where(eq(draftVersions.id, row.frozenVersionId))
					.returning({ id: draftVersions.id, name: draftVersions.name });
				return version ?? null;
			});
			for (const client of fresh) draft.authors.set(client, author);
			Y.applyUpdate(draft.doc, update, author);
			if (++draft.stored >= COMPACT_AFTER) this.#compact(draft);
			return { applied: true, superseded, newAuthors: fresh.length > 0 };
		});
	}

	/** An update another process stored and applied: this process's copy follows. */
	applyStored(draftId: string, update: Uint8Array, authors: [number, DraftAuthor][]): void {
		const loaded = this.#drafts.get(draftId);
		if (!loaded) return;
		loaded
			.then((draft) => {
				for (const [client, author] of authors) draft.authors.set(client, author);
				Y.applyUpdate(draft.doc, update, 'remote');
			})
			.catch((error) => this.#log.error({ err: error, draftId }, 'update from another process not applied'));
	}

	/** Lets go of every draft held, and of their awareness timers: the app is closing. */
	async close(): Promise<void> {
		const loaded = [...this.#drafts.values()];
		this.#drafts.clear();
		for (const draft of await Promise.allSettled(loaded)) {
			if (draft.status === 'fulfilled') draft.value.doc.destroy();
		}
	}

	/** Runs `change` on the draft after every change before it, and before any after it. */
	serially<T>(draftId: string, change: (draft: LiveDraft) => Promise<T>): Promise<T> {
		return this.live(draftId).then((draft) => {
			const run = draft.queue.then(() => change(draft));
			draft.queue = run.catch(() => undefined);
			return run;
		});
	}

	#compact(draft: LiveDraft): void {
		draft.stored = 0;
		compactDraft(this.#db, draft.id).catch((error) =>
			this.#log.error({ err: error, draftId: draft.id }, 'draft compaction failed')
		);
	}

	async #load(draftId: string): Promise<LiveDraft> {
		const { caseId, snapshot, updates, authors } = await this.#db.transaction(async (tx) => {
			// Shares the lock compaction takes, so the snapshot and the updates after it are read together.
			const [draft] = await tx
				.select({ caseId: agreementDrafts.caseId })
				.from(agreementDrafts)
				.where(eq(agreementDrafts.id, draftId))
				.for('share');
			if (!draft) throw new AppError('NOT_FOUND');
			const [snapshot] = await tx.select().from(draftSnapshots).where(eq(draftSnapshots.draftId, draftId));
			const updates = await tx
				.select({ update: draftUpdates.update })
				.from(draftUpdates)
				.where(eq(draftUpdates.draftId, draftId))
				.orderBy(asc(draftUpdates.id));
			const authors = await tx.select().from(draftAuthors).where(eq(draftAuthors.draftId, draftId));
			return { caseId: draft.caseId, snapshot, updates, authors };
		});
		const doc = new Y.Doc();
		doc.transact(() => {
			if (snapshot) Y.applyUpdate(doc, snapshot.state);
			for (const { update } of updates) Y.applyUpdate(doc, update);
		});
		const draft: LiveDraft = {
			id: draftId,
			caseId,
			doc,
			awareness: new Awareness(doc),
			authors: new Map(authors.map((a) => [a.clientId, { key: a.author, name: a.authorName }])),
			stored: updates.length,
			queue: Promise.resolve()
		};
		// The server's own awareness state would show it as a person in the document.
		draft.awareness.setLocalState(null);
		if (draft.stored >= COMPACT_AFTER) this.#compact(draft);
		return draft;
	}
}
