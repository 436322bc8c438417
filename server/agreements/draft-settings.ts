import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { agreementDrafts } from '../db/schema.ts';

/** What decides who may write the draft now: the mediator's permission for parties, and freezing. */
export async function readDraftSettings(
	db: Db,
	draftId: string
): Promise<{ partiesMayEdit: boolean; frozen: boolean }> {
	const [row] = await db
		.select({ partiesMayEdit: agreementDrafts.partiesMayEdit, frozenVersionId: agreementDrafts.frozenVersionId })
		.from(agreementDrafts)
		.where(eq(agreementDrafts.id, draftId));
	return { partiesMayEdit: row?.partiesMayEdit ?? false, frozen: row?.frozenVersionId != null };
}
