import { toBase64 } from 'lib0/buffer';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import { draftAccess, type DraftRole } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import type { RecordOutcome } from '#shared/mediation-record.ts';
import type { DraftCommentView, DraftSnapshot, DraftVersionView } from '#shared/realtime-events.ts';
import type { InPersonSignerView } from '#shared/signing.ts';
import type { Db } from '../db/client.ts';
import { RateLimit } from '../rate-limit.ts';
import type { RoomIdentity } from '../sessions/participant-of.ts';
import { signerFor } from '../signing/signatures/case-signers.ts';
import type { sealMediationRecord } from '../documents/seal-mediation-record.ts';
import type { sealCaseAgreement } from '../signing/signatures/seal-case-agreement.ts';
import { signAgreement, type SignatureInput } from '../signing/signatures/sign-agreement.ts';
import {
	listInPersonSigners,
	signInPerson,
	type InPersonSignatureInput
} from '../signing/signatures/sign-in-person.ts';
import { cursorColorOf } from './cursor-color.ts';
import { addDraftComment, listDraftComments, resolveDraftComment, type DraftCommentInput } from './draft-comments.ts';
import { hidePresence, showPresence } from './draft-presence.ts';
import type { DraftActor, DraftAuthor } from './draft-role.ts';
import { readDraftSettings } from './draft-settings.ts';
import type { Applied, DraftStore } from './draft-store.ts';
import type { DraftAudience } from './draft-audience.ts';
import { answerSyncStep1, readSyncMessage, updateMessage } from './draft-sync.ts';
import { freezeDraftVersion, restoreDraftVersion, saveDraftVersion, unfreezeDraftVersion } from './draft-versions.ts';
import { describeDraft } from './describe-draft.ts';
import { openDraft, type DraftRequest } from './open-draft.ts';
import { setPartiesMayEdit } from './set-parties-may-edit.ts';
import { setRecordOutcome } from './set-record-outcome.ts';

/** What live drafts work with: the database, the drafts held in memory, and what signing and sealing take. */
export type LiveDraftsDeps = { db: Db; drafts: DraftStore } & Parameters<typeof signAgreement>[0] &
	Parameters<typeof sealCaseAgreement>[0] &
	Parameters<typeof sealMediationRecord>[0];

/** What every visit shares (LiveDrafts): the services, the audience, and telling everyone in a draft. */
export type DraftsInCommon = {
	readonly deps: LiveDraftsDeps;
	readonly audience: DraftAudience;
	share(draftId: string, update: Uint8Array, applied: Applied, from: string): Promise<void>;
	announce(draftId: string, unfrozen?: boolean): Promise<void>;
	sealWhenSigned(draftId: string): Promise<void>;
};

/** A connection as the drafts see it: its id for the audience, who it is, and from where. */
export type DraftVisitor = {
	readonly connection: string;
	readonly identity: RoomIdentity;
	readonly userId: string | null;
	readonly ip: string | null;
	readonly userAgent: string | null;
	/** The connection closed. */
	gone(): boolean;
};

type OpenDraft = { role: DraftRole; author: DraftAuthor };

/**
 * One connection's drafts: those it has open and what it is to each. Content from someone who
 * may not write is refused before it is stored; everything stored is acknowledged only once it
 * is in PostgreSQL. Every command but opening draws on the connection's allowance.
 */
export class DraftVisit {
	readonly #live: DraftsInCommon;
	readonly #visitor: DraftVisitor;
	readonly #opened = new Map<string, OpenDraft>();
	readonly #allowance = new RateLimit(200, 60);
	/** The connection's updates, taken one after another. */
	#updates: Promise<unknown> = Promise.resolve();

	constructor(live: DraftsInCommon, visitor: DraftVisitor) {
		this.#live = live;
		this.#visitor = visitor;
	}

	async open(request: DraftRequest): Promise<DraftSnapshot> {
		const { db, drafts } = this.#live.deps;
		const { connection, identity, ip } = this.#visitor;
		const { draft: row, role, author } = await openDraft(db, identity, request, ip);
		// Gone meanwhile: nobody would let go of the draft.
		if (this.#visitor.gone()) throw new AppError('CONFLICT');
		const holding = this.#opened.has(row.id);
		this.#opened.set(row.id, { role, author });
		const draft = await (holding ? drafts.live(row.id) : drafts.hold(row.id));
		await this.#live.audience.enter(row.id, connection);
		const present = [...draft.awareness.getStates().keys()];
		if (present.length) {
			const update = toBase64(encodeAwarenessUpdate(draft.awareness, present));
			this.#live.audience.toConnection(connection, 'draft:awareness', { draftId: row.id, update });
		}
		const signer = await signerFor(db, identity, row);
		return {
			...(await describeDraft(db, draft)),
			comments: await listDraftComments(db, row.id),
			role,
			me: {
				name: author.name,
				color: cursorColorOf(author.key),
				signer: signer && { key: signer.key, proof: signer.proof }
			}
		};
	}

	async close(draftId: string): Promise<void> {
		this.#draft(draftId);
		await this.#leave(draftId);
	}

	/** The connection ended: it leaves every draft it had open. */
	end(): void {
		for (const draftId of [...this.#opened.keys()]) void this.#leave(draftId).catch(() => {});
	}

	/** A y-protocols sync message: a step 1 is answered; content is stored, then passed on. */
	async sync(draftId: string, message: Uint8Array): Promise<string[]> {
		const entry = this.#draft(draftId);
		const { step1, payload } = readSyncMessage(message);
		const { db, drafts } = this.#live.deps;
		if (step1) return answerSyncStep1(drafts, draftId, payload);
		// A connection's updates are taken in the order sent, each building on the one before: the
		// look-up of a party's permission must not let a later update overtake an earlier one.
		const taken = this.#updates.then(async () => {
			const access = draftAccess(entry.role, await readDraftSettings(db, draftId));
			// Someone who may not write may still send an empty answer to the server's step 1.
			const applied = await drafts.apply(draftId, payload, access === 'edit' ? entry.author : null);
			await this.#live.share(draftId, payload, applied, this.#visitor.connection);
		});
		this.#updates = taken.catch(() => undefined);
		await taken;
		return [];
	}

	/** Someone's presence, shown to the others under their own name and colour. */
	async awareness(draftId: string, update: Uint8Array): Promise<void> {
		const { author } = this.#draft(draftId);
		const { connection } = this.#visitor;
		const draft = await this.#live.deps.drafts.live(draftId);
		const shown = showPresence(draft, update, { connection, author, color: cursorColorOf(author.key) });
		this.#live.audience.toOthers(draftId, connection, 'draft:awareness', { draftId, update: toBase64(shown) });
		this.#live.audience.awareness(draftId, shown);
	}

	async setPartiesMayEdit(draftId: string, allowed: boolean): Promise<void> {
		await setPartiesMayEdit(this.#live.deps.db, draftId, allowed, this.#mediator(draftId));
		await this.#live.announce(draftId);
	}

	async setRecordOutcome(draftId: string, outcome: RecordOutcome): Promise<void> {
		const { db, drafts } = this.#live.deps;
		const by = this.#mediator(draftId);
		// In the draft's order, as freezing reads the result.
		await drafts.serially(draftId, () => setRecordOutcome(db, draftId, outcome, by));
		await this.#live.announce(draftId);
	}

	async saveVersion(draftId: string, name: string): Promise<DraftVersionView> {
		const { db, drafts } = this.#live.deps;
		const version = await saveDraftVersion(db, drafts, draftId, name, this.#mediator(draftId));
		await this.#live.announce(draftId);
		return version;
	}

	async unfreeze(draftId: string): Promise<void> {
		await unfreezeDraftVersion(this.#live.deps.db, this.#live.deps.drafts, draftId, this.#mediator(draftId));
		await this.#live.announce(draftId, true);
	}

	async restoreVersion(draftId: string, versionId: string): Promise<void> {
		const { db, drafts } = this.#live.deps;
		await this.#restored(draftId, await restoreDraftVersion(db, drafts, draftId, versionId, this.#mediator(draftId)));
	}

	async freeze(draftId: string, versionId: string): Promise<DraftVersionView> {
		const { db, drafts } = this.#live.deps;
		const { version, restored } = await freezeDraftVersion(db, drafts, draftId, versionId, this.#mediator(draftId));
		if (restored) await this.#restored(draftId, restored);
		await this.#live.announce(draftId);
		const draft = await drafts.live(draftId);
		if (draft.kind === 'agreement') {
			await this.#live.deps.events.emit('agreement.ready_to_sign', {
				caseId: draft.caseId,
				draftId,
				versionId: version.id
			});
		}
		return version;
	}

	async sign(draftId: string, input: SignatureInput): Promise<void> {
		this.#draft(draftId);
		const { identity, ip, userAgent } = this.#visitor;
		await signAgreement(this.#live.deps, draftId, input, identity, { ip, userAgent });
		await this.#live.announce(draftId);
		await this.#live.sealWhenSigned(draftId);
	}

	/** Those in the office who may sign on this mediator's device now. */
	async inPersonSigners(draftId: string): Promise<InPersonSignerView[]> {
		this.#mediator(draftId);
		return listInPersonSigners(this.#live.deps.db, draftId, this.#visitor.userId);
	}

	/** A signer in the office signs on this mediator's device: the device's connection is the mediator's. */
	async signInPerson(draftId: string, input: InPersonSignatureInput): Promise<void> {
		this.#mediator(draftId);
		const { userId, ip, userAgent } = this.#visitor;
		await signInPerson(this.#live.deps, draftId, input, userId, { ip, userAgent });
		await this.#live.announce(draftId);
		await this.#live.sealWhenSigned(draftId);
	}

	/** Sealing again, should it have failed after the last signature. */
	async seal(draftId: string): Promise<void> {
		this.#mediator(draftId);
		await this.#live.sealWhenSigned(draftId);
	}

	async comment(draftId: string, comment: DraftCommentInput): Promise<DraftCommentView> {
		const saved = await addDraftComment(this.#live.deps.db, draftId, comment, this.#draft(draftId));
		this.#live.audience.toEveryone(draftId, 'draft:comment', { draftId, comment: saved });
		return saved;
	}

	async resolveComment(draftId: string, commentId: string): Promise<void> {
		this.#mediator(draftId);
		const comment = await resolveDraftComment(this.#live.deps.db, draftId, commentId);
		this.#live.audience.toEveryone(draftId, 'draft:comment', { draftId, comment });
	}

	/** The draft, open in this connection; a command on it draws on the allowance. */
	#draft(draftId: string): OpenDraft {
		const entry = this.#opened.get(draftId);
		if (!entry) throw new AppError('CONFLICT');
		if (!this.#allowance.take()) throw new AppError('RATE_LIMITED');
		return entry;
	}

	/** The draft, open in this connection by a mediator, who acts on it. */
	#mediator(draftId: string): DraftActor {
		const entry = this.#draft(draftId);
		if (entry.role !== 'mediator') throw new AppError('FORBIDDEN');
		return { author: entry.author, userId: this.#visitor.userId, ip: this.#visitor.ip };
	}

	/** A restore stored: the others get it as any update, and the restorer, who has no other way to hear of it. */
	async #restored(draftId: string, { update, applied }: { update: Uint8Array; applied: Applied }): Promise<void> {
		await this.#live.share(draftId, update, applied, this.#visitor.connection);
		this.#live.audience.toConnection(this.#visitor.connection, 'draft:sync', {
			draftId,
			message: updateMessage(update)
		});
	}

	async #leave(draftId: string): Promise<void> {
		if (!this.#opened.delete(draftId)) return;
		const { drafts } = this.#live.deps;
		try {
			await this.#live.audience.leave(draftId, this.#visitor.connection);
			const update = hidePresence(await drafts.live(draftId), this.#visitor.connection);
			if (!update) return;
			this.#live.audience.toOthers(draftId, this.#visitor.connection, 'draft:awareness', {
				draftId,
				update: toBase64(update)
			});
			this.#live.audience.awareness(draftId, update);
		} finally {
			drafts.release(draftId);
		}
	}
}
