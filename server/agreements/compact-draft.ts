import { and, asc, eq, lte, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../db/client.ts';
import { draftSnapshots, draftUpdates } from '../db/schema.ts';

/**
 * Merges a draft's snapshot and the updates after it into a new snapshot, and deletes those
 * updates, in one transaction. Typing goes on meanwhile: an update written during it is not among
 * those deleted, and stays. Two processes compacting one draft take turns (an advisory lock on
 * the draft), and `DraftStore` loads a draft in one snapshot of the database, so everyone always
 * sees the whole document exactly once.
 */
export async function compactDraft(db: Db, draftId: string): Promise<number> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${draftId}))`);
		const [snapshot] = await tx.select().from(draftSnapshots).where(eq(draftSnapshots.draftId, draftId));
		const updates = await tx
			.select({ id: draftUpdates.id, update: draftUpdates.update })
			.from(draftUpdates)
			.where(eq(draftUpdates.draftId, draftId))
			.orderBy(asc(draftUpdates.id));
		if (!updates.length) return 0;
		const uptoId = updates[updates.length - 1].id;
		const state = Y.mergeUpdates([...(snapshot ? [snapshot.state] : []), ...updates.map((u) => u.update)]);
		await tx
			.insert(draftSnapshots)
			.values({ draftId, state: Buffer.from(state), uptoId })
			.onConflictDoUpdate({
				target: draftSnapshots.draftId,
				set: { state: Buffer.from(state), uptoId, updatedAt: new Date() }
			});
		await tx.delete(draftUpdates).where(and(eq(draftUpdates.draftId, draftId), lte(draftUpdates.id, uptoId)));
		return updates.length;
	});
}
