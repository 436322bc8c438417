import { createHash } from 'node:crypto';
import { and, desc, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import * as Y from 'yjs';
import { AGREEMENT_FIELD } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import { DRAFT_EVENTS } from '#shared/mediation-record.ts';
import type { DraftVersionView } from '#shared/realtime-events.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { agreementDrafts, draftVersions } from '../db/schema.ts';
import type { DraftActor } from './draft-role.ts';
import { DraftStore, type Applied } from './draft-store.ts';

/**
 * Named versions of a draft: saved by the mediator, restored as a new change (history kept),
 * and one frozen for signing with the SHA-256 of its canonical text.
 */

export function versionView(row: typeof draftVersions.$inferSelect): DraftVersionView {
	return {
		id: row.id,
		seq: row.seq,
		name: row.name,
		text: row.text,
		sha256: row.sha256,
		frozenAt: row.frozenAt?.toISOString() ?? null,
		supersededAt: row.supersededAt?.toISOString() ?? null,
		createdByName: row.createdByName,
		createdAt: row.createdAt.toISOString()
	};
}

/** Saves the draft as it is now under a name. */
export async function saveDraftVersion(db: Db, store: DraftStore, draftId: string, name: string, by: DraftActor) {
	return store.serially(draftId, async (draft) => {
		const { text } = DraftStore.contentOf(draft.doc);
		const state = Buffer.from(Y.encodeStateAsUpdate(draft.doc));
		const row = await db.transaction(async (tx) => {
			const [last] = await tx
				.select({ seq: draftVersions.seq })
				.from(draftVersions)
				.where(eq(draftVersions.draftId, draftId))
				.orderBy(desc(draftVersions.seq))
				.limit(1);
			const [saved] = await tx
				.insert(draftVersions)
				.values({
					draftId,
					seq: (last?.seq ?? 0) + 1,
					name,
					state,
					text,
					createdById: by.userId,
					createdByName: by.author.name
				})
				.returning();
			await recordCaseEvent(tx, {
				caseId: draft.caseId,
				actorId: by.userId,
				actorLabel: by.author.name,
				action: DRAFT_EVENTS[draft.kind].version_saved,
				data: { draftId, versionId: saved.id, name },
				ip: by.ip
			});
			return saved;
		});
		return versionView(row);
	});
}

async function versionOf(db: Db, draftId: string, versionId: string) {
	const [version] = await db
		.select()
		.from(draftVersions)
		.where(and(eq(draftVersions.id, versionId), eq(draftVersions.draftId, draftId)));
	if (!version) throw new AppError('NOT_FOUND');
	return version;
}

/**
 * The update that makes the draft read as the version again: computed on a copy, then stored
 * and applied like anyone's edit, so the draft's history keeps everything in between.
 */
async function restoreUpdate(store: DraftStore, draftId: string, state: Uint8Array): Promise<Uint8Array> {
	const draft = await store.live(draftId);
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(draft.doc));
	const old = new Y.Doc();
	Y.applyUpdate(old, state);
	const before = Y.encodeStateVector(copy);
	const fragment = copy.getXmlFragment(AGREEMENT_FIELD);
	copy.transact(() => {
		fragment.delete(0, fragment.length);
		fragment.insert(
			0,
			old
				.getXmlFragment(AGREEMENT_FIELD)
				.toArray()
				.map((node) => node.clone() as Y.XmlElement | Y.XmlText)
		);
	});
	return Y.encodeStateAsUpdate(copy, before);
}

export async function restoreDraftVersion(
	db: Db,
	store: DraftStore,
	draftId: string,
	versionId: string,
	by: DraftActor
): Promise<{ update: Uint8Array; applied: Applied }> {
	const version = await versionOf(db, draftId, versionId);
	const update = await restoreUpdate(store, draftId, version.state);
	const applied = await store.apply(draftId, update, by.author);
	await applied.stored;
	const draft = await store.live(draftId);
	await db.transaction((tx) =>
		recordCaseEvent(tx, {
			caseId: draft.caseId,
			actorId: by.userId,
			actorLabel: by.author.name,
			action: DRAFT_EVENTS[draft.kind].version_restored,
			data: { draftId, versionId, name: version.name },
			ip: by.ip
		})
	);
	return { update, applied };
}

/**
 * Freezes a version as the text that signing signs: the draft is first made to read as that
 * version if it does not. A version frozen before is superseded. A record's result is frozen with it.
 */
export async function freezeDraftVersion(
	db: Db,
	store: DraftStore,
	draftId: string,
	versionId: string,
	by: DraftActor
): Promise<{ version: DraftVersionView; restored: { update: Uint8Array; applied: Applied } | null }> {
	const version = await versionOf(db, draftId, versionId);
	const draft = await store.live(draftId);
	// A record is signed with its result: the mediator sets it first.
	const [settled] = await db
		.select({ recordOutcome: agreementDrafts.recordOutcome })
		.from(agreementDrafts)
		.where(eq(agreementDrafts.id, draftId));
	if (draft.kind === 'mediation_record' && !settled?.recordOutcome) {
		throw new AppError('CONFLICT', { fields: { outcome: ['required'] } });
	}
	const restored =
		DraftStore.contentOf(draft.doc).text === version.text
			? null
			: await restoreDraftVersion(db, store, draftId, versionId, by);
	const sha256 = createHash('sha256').update(version.text, 'utf8').digest('hex');
	const frozen = await store.serially(draftId, (live) => {
		// Someone wrote between the restore and now: what would be signed is no longer what they see.
		if (DraftStore.contentOf(live.doc).text !== version.text) throw new AppError('CONFLICT');
		return db.transaction(async (tx) => {
			const now = new Date();
			// The result as it is now: changing it waits for the draft's order too.
			const [{ recordOutcome }] = await tx
				.select({ recordOutcome: agreementDrafts.recordOutcome })
				.from(agreementDrafts)
				.where(eq(agreementDrafts.id, draftId))
				.for('no key update');
			await tx
				.update(draftVersions)
				.set({ supersededAt: now })
				.where(
					and(
						eq(draftVersions.draftId, draftId),
						ne(draftVersions.id, versionId),
						isNotNull(draftVersions.frozenAt),
						isNull(draftVersions.supersededAt)
					)
				);
			const [row] = await tx
				.update(draftVersions)
				.set({ sha256, frozenAt: now, supersededAt: null, recordOutcome })
				.where(eq(draftVersions.id, versionId))
				.returning();
			await tx.update(agreementDrafts).set({ frozenVersionId: versionId }).where(eq(agreementDrafts.id, draftId));
			await recordCaseEvent(tx, {
				caseId: draft.caseId,
				actorId: by.userId,
				actorLabel: by.author.name,
				action: DRAFT_EVENTS[draft.kind].frozen,
				data: { draftId, versionId, name: version.name, sha256, ...(recordOutcome && { outcome: recordOutcome }) },
				ip: by.ip
			});
			return row;
		});
	});
	return { version: versionView(frozen), restored };
}

/**
 * The mediator unfreezes the draft so that it can be written again: the frozen version is
 * superseded, and with it every signature given to it. Refused when nothing is frozen.
 */
export async function unfreezeDraftVersion(db: Db, store: DraftStore, draftId: string, by: DraftActor): Promise<void> {
	// In the draft's order, so that no edit is taken between the unfreezing and the refusal it ends.
	await store.serially(draftId, (draft) =>
		db.transaction(async (tx) => {
			const [row] = await tx
				.select({ versionId: agreementDrafts.frozenVersionId })
				.from(agreementDrafts)
				.where(eq(agreementDrafts.id, draftId))
				.for('no key update');
			if (!row?.versionId) throw new AppError('CONFLICT');
			const [version] = await tx
				.update(draftVersions)
				.set({ supersededAt: new Date() })
				.where(eq(draftVersions.id, row.versionId))
				.returning();
			await tx.update(agreementDrafts).set({ frozenVersionId: null }).where(eq(agreementDrafts.id, draftId));
			await recordCaseEvent(tx, {
				caseId: draft.caseId,
				actorId: by.userId,
				actorLabel: by.author.name,
				action: DRAFT_EVENTS[draft.kind].unfrozen,
				data: { draftId, versionId: version.id, name: version.name, sha256: version.sha256 },
				ip: by.ip
			});
		})
	);
}
