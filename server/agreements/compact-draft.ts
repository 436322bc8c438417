import { and, asc, eq, lte } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Db } from '../db/client.ts';
import { agreementDrafts, draftSnapshots, draftUpdates } from '../db/schema.ts';

/**
 * Merges a draft's snapshot and the updates after it into a new snapshot, and deletes those
 * updates, in one transaction under the draft's row lock, so that two processes compacting at
 * once, or a reader loading meanwhile, always see the whole document exactly once.
 */
export async function compactDraft(db: Db, draftId: string): Promise<number> {
	return db.transaction(async (tx) => {
		await tx
			.select({ id: agreementDrafts.id })
			.from(agreementDrafts)
			.where(eq(agreementDrafts.id, draftId))
			.for('update');
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
