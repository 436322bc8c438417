import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as sync from 'y-protocols/sync';
import { draftAccess, type DraftRole } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import type { DraftCommentView } from '#shared/realtime-events.ts';
import type { RealtimeDeps } from './realtime-deps.ts';
import { addDraftComment, listDraftComments, resolveDraftComment } from '../agreements/draft-comments.ts';
import { describeDraft } from '../agreements/describe-draft.ts';
import { hidePresence, showPresence } from '../agreements/draft-presence.ts';
import type { DraftAuthor } from '../agreements/draft-role.ts';
import {
	freezeDraftVersion,
	restoreDraftVersion,
	saveDraftVersion,
	unfreezeDraftVersion
} from '../agreements/draft-versions.ts';
import type { Applied } from '../agreements/draft-store.ts';
import { openDraft } from '../agreements/open-draft.ts';
import { signerFor } from '../signing/signatures/case-signers.ts';
import { sealCaseAgreement } from '../signing/signatures/seal-case-agreement.ts';
import { signAgreement } from '../signing/signatures/sign-agreement.ts';
import { agreementDrafts } from '../db/schema.ts';
import { onCommand, type AppSocket } from './command-handler.ts';
import { RateLimit } from './rate-limit.ts';

/** Cursor colours, picked by author so that a person keeps theirs. */
const COLORS = ['#b3261e', '#1e6b3a', '#1f5fa8', '#8a4baf', '#b06000', '#00796b', '#c2185b', '#5d4037'];
const colorOf = (key: string) => COLORS[createHash('sha256').update(key).digest()[0] % COLORS.length];

/** Tells the other processes of a cluster what changed in a draft here (nothing when alone). */
export type DraftCluster = {
	/** An update stored and applied here, with its authors. */
	applied(draftId: string, update: Uint8Array, authors: [number, DraftAuthor][]): void;
	/** Someone's presence here changed, so that newcomers there are shown it too. */
	awareness(draftId: string, update: Uint8Array): void;
};

type OpenDraft = { role: DraftRole; author: DraftAuthor; userId: string | null };

const roomOf = (draftId: string) => `draft:${draftId}`;
/** A y-protocols sync message, in base64 as the draft events carry it. */
const syncMessage = (write: (encoder: encoding.Encoder) => void) => {
	const encoder = encoding.createEncoder();
	write(encoder);
	return toBase64(encoding.toUint8Array(encoder));
};

/**
 * The `draft:*` commands of one connection: y-protocols sync and awareness over Socket.io, per
 * case draft, for those with a part in the case. Content from someone who may not write is
 * refused before it is stored; everything stored is acknowledged only once it is in PostgreSQL.
 */
export function registerDraftHandlers(app: RealtimeDeps, socket: AppSocket, cluster: DraftCluster): void {
	const ip = socket.handshake.address || null;
	const opened = new Map<string, OpenDraft>();
	const limit = new RateLimit(200, 60);
	let updates: Promise<unknown> = Promise.resolve();
	const open = (draftId: string) => {
		const entry = opened.get(draftId);
		if (!entry) throw new AppError('CONFLICT');
		if (!limit.take()) throw new AppError('RATE_LIMITED');
		return entry;
	};
	const mediator = (draftId: string) => {
		const entry = open(draftId);
		if (entry.role !== 'mediator') throw new AppError('FORBIDDEN');
		return entry;
	};
	const by = (entry: OpenDraft) => ({ author: entry.author, userId: entry.userId, ip });

	/**
	 * Once stored, everyone else in the draft gets the update, the other processes too (they store
	 * nothing, they only follow), and a version it superseded or a new author is told.
	 */
	const shareUpdate = async (draftId: string, update: Uint8Array, applied: Applied) => {
		if (!applied.applied) return;
		const superseded = await applied.stored;
		socket
			.to(roomOf(draftId))
			.emit('draft:sync', { draftId, message: syncMessage((e) => sync.writeUpdate(e, update)) });
		cluster.applied(draftId, update, applied.authors);
		if (superseded || applied.newAuthors) await announce(draftId, superseded !== null);
	};
	/** The draft's settings, versions, signatures or authors changed: everyone in it, here too, gets them anew. */
	const announce = async (draftId: string, unfrozen = false) => {
		const draft = await app.drafts.live(draftId);
		const snapshot = await describeDraft(app.db, draft);
		const superseded = unfrozen ? snapshot.versions.findLast((v) => v.supersededAt && v.sha256) : undefined;
		socket.nsp.to(roomOf(draftId)).emit('draft:changed', { draftId, snapshot, unfrozen: superseded });
	};
	/** Seals the agreement if every signature is in, and tells everyone. */
	const seal = async (draftId: string) => {
		const { caseId } = await app.drafts.live(draftId);
		if (await sealCaseAgreement(app, draftId, caseId)) await announce(draftId);
	};
	/** The comment posted or resolved, to everyone in the draft. */
	const shareComment = (draftId: string, comment: DraftCommentView) =>
		socket.nsp.to(roomOf(draftId)).emit('draft:comment', { draftId, comment });
	const leave = async (draftId: string) => {
		if (!opened.delete(draftId)) return;
		try {
			await socket.leave(roomOf(draftId));
			const update = hidePresence(await app.drafts.live(draftId), socket.id);
			if (!update) return;
			socket.to(roomOf(draftId)).emit('draft:awareness', { draftId, update: toBase64(update) });
			cluster.awareness(draftId, update);
		} finally {
			app.drafts.release(draftId);
		}
	};

	onCommand(app, socket, 'draft:open', async ({ caseId }) => {
		const { draft: row, role, author } = await openDraft(app, socket.data.identity, caseId, ip);
		// Gone meanwhile: nobody would let go of the draft.
		if (socket.disconnected) throw new AppError('CONFLICT');
		const holding = opened.has(row.id);
		opened.set(row.id, { role, author, userId: socket.data.actor?.id ?? null });
		const draft = await (holding ? app.drafts.live(row.id) : app.drafts.hold(row.id));
		await socket.join(roomOf(row.id));
		const present = [...draft.awareness.getStates().keys()];
		if (present.length) {
			const update = encodeAwarenessUpdate(draft.awareness, present);
			socket.emit('draft:awareness', { draftId: row.id, update: toBase64(update) });
		}
		const signer = await signerFor(app.db, socket.data.identity, row.caseId);
		return {
			...(await describeDraft(app.db, draft)),
			comments: await listDraftComments(app.db, row.id),
			role,
			me: { name: author.name, color: colorOf(author.key), signer: signer && { key: signer.key, proof: signer.proof } }
		};
	});
	onCommand(app, socket, 'draft:close', async ({ draftId }) => {
		open(draftId);
		await leave(draftId);
		return {};
	});
	socket.on('disconnect', () => {
		for (const draftId of [...opened.keys()]) void leave(draftId).catch(() => {});
	});

	onCommand(app, socket, 'draft:sync', async ({ draftId, message }) => {
		const entry = open(draftId);
		let type: number;
		let payload: Uint8Array;
		try {
			const decoder = decoding.createDecoder(message);
			type = decoding.readVarUint(decoder);
			payload = decoding.readVarUint8Array(decoder);
		} catch {
			throw new AppError('VALIDATION', { fields: { message: ['invalid'] } });
		}
		if (type === sync.messageYjsSyncStep1) {
			// Answered from what is stored: nobody gets content a failed write would take back.
			return app.drafts.serially(draftId, async ({ doc }) => {
				try {
					return {
						messages: [
							syncMessage((e) => sync.writeSyncStep2(e, doc, payload)),
							syncMessage((e) => sync.writeSyncStep1(e, doc))
						]
					};
				} catch {
					throw new AppError('VALIDATION', { fields: { message: ['invalid'] } });
				}
			});
		}
		if (type !== sync.messageYjsSyncStep2 && type !== sync.messageYjsUpdate) {
			throw new AppError('VALIDATION', { fields: { message: ['invalid'] } });
		}
		// A connection's updates are taken in the order sent, each building on the one before: the
		// look-up of a party's permission must not let a later update overtake an earlier one.
		const taken = updates.then(async () => {
			const access = draftAccess(entry.role, await draftState(app, draftId));
			const author = access === 'edit' ? entry.author : null;
			// Someone who may not write may still send an empty answer to the server's step 1.
			const applied = await app.drafts.apply(draftId, payload, author);
			await shareUpdate(draftId, payload, applied);
		});
		updates = taken.catch(() => undefined);
		await taken;
		return { messages: [] };
	});

	onCommand(app, socket, 'draft:awareness', async ({ draftId, update }) => {
		const { author } = open(draftId);
		const draft = await app.drafts.live(draftId);
		const shown = showPresence(draft, update, { connection: socket.id, author, color: colorOf(author.key) });
		socket.to(roomOf(draftId)).emit('draft:awareness', { draftId, update: toBase64(shown) });
		cluster.awareness(draftId, shown);
		return {};
	});

	onCommand(app, socket, 'draft:setPartiesMayEdit', async ({ draftId, allowed }) => {
		mediator(draftId);
		await app.db.update(agreementDrafts).set({ partiesMayEdit: allowed }).where(eq(agreementDrafts.id, draftId));
		await announce(draftId);
		return {};
	});
	onCommand(app, socket, 'draft:saveVersion', async ({ draftId, name }) => {
		const version = await saveDraftVersion(app, app.drafts, draftId, name, by(mediator(draftId)));
		await announce(draftId);
		return version;
	});
	onCommand(app, socket, 'draft:unfreeze', async ({ draftId }) => {
		await unfreezeDraftVersion(app, app.drafts, draftId, by(mediator(draftId)));
		await announce(draftId, true);
		return {};
	});
	onCommand(app, socket, 'draft:restoreVersion', async ({ draftId, versionId }) => {
		const { update, applied } = await restoreDraftVersion(app, app.drafts, draftId, versionId, by(mediator(draftId)));
		await shareUpdate(draftId, update, applied);
		// The restoring client has no other way to hear of its own restore.
		socket.emit('draft:sync', { draftId, message: syncMessage((e) => sync.writeUpdate(e, update)) });
		return {};
	});
	onCommand(app, socket, 'draft:freeze', async ({ draftId, versionId }) => {
		const { version, restored } = await freezeDraftVersion(app, app.drafts, draftId, versionId, by(mediator(draftId)));
		if (restored) {
			await shareUpdate(draftId, restored.update, restored.applied);
			socket.emit('draft:sync', { draftId, message: syncMessage((e) => sync.writeUpdate(e, restored.update)) });
		}
		await announce(draftId);
		return version;
	});
	onCommand(app, socket, 'draft:sign', async ({ draftId, versionId, signature, secret }) => {
		open(draftId);
		const userAgent = socket.handshake.headers['user-agent']?.slice(0, 500) ?? null;
		await signAgreement(app, draftId, { versionId, signature, secret }, socket.data.identity, { ip, userAgent });
		await announce(draftId);
		await seal(draftId);
		return {};
	});
	// Sealing again, should it have failed after the last signature.
	onCommand(app, socket, 'draft:seal', async ({ draftId }) => {
		mediator(draftId);
		await seal(draftId);
		return {};
	});
	onCommand(app, socket, 'draft:comment', async ({ draftId, ...comment }) => {
		const saved = await addDraftComment(app.db, draftId, comment, open(draftId));
		shareComment(draftId, saved);
		return saved;
	});
	onCommand(app, socket, 'draft:resolveComment', async ({ draftId, commentId }) => {
		mediator(draftId);
		shareComment(draftId, await resolveDraftComment(app.db, draftId, commentId));
		return {};
	});
}

/** What decides who may write the draft now: the mediator's permission for parties, and freezing. */
async function draftState(app: RealtimeDeps, draftId: string): Promise<{ partiesMayEdit: boolean; frozen: boolean }> {
	const [row] = await app.db
		.select({ partiesMayEdit: agreementDrafts.partiesMayEdit, frozenVersionId: agreementDrafts.frozenVersionId })
		.from(agreementDrafts)
		.where(eq(agreementDrafts.id, draftId));
	return { partiesMayEdit: row?.partiesMayEdit ?? false, frozen: row?.frozenVersionId != null };
}
