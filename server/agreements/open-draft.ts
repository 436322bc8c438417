import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { agreementSchema } from '#shared/agreement-schema.ts';
import { AGREEMENT_FIELD, type DraftRole } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { agreementDrafts, draftAuthors, draftUpdates } from '../db/schema.ts';
import type { RoomIdentity } from '../sessions/participant-of.ts';
import { templateForCase } from './agreement-template.ts';
import { draftRoleOf, type DraftAuthor } from './draft-role.ts';

export type OpenedDraft = {
	draft: typeof agreementDrafts.$inferSelect;
	role: DraftRole;
	author: DraftAuthor;
};

/**
 * The case's agreement draft, for someone with a part in it. A mediator opening it first starts
 * it from the organisation's template, filled in with the case; anyone else finds it only once
 * started (CONFLICT before).
 */
export async function openDraft(db: Db, identity: RoomIdentity, caseId: string, ip: string | null) {
	const { role, author } = await draftRoleOf(db, identity, caseId);
	const [existing] = await db.select().from(agreementDrafts).where(eq(agreementDrafts.caseId, caseId));
	if (existing) return { draft: existing, role, author } satisfies OpenedDraft;
	if (role !== 'mediator' || !('actor' in identity)) throw new AppError('CONFLICT');
	const actor = identity.actor;

	const template = await templateForCase(db, caseId);
	const start = new Y.Doc();
	prosemirrorJSONToYXmlFragment(agreementSchema(), template, start.getXmlFragment(AGREEMENT_FIELD));
	const draft = await db.transaction(async (tx) => {
		const [created] = await tx
			.insert(agreementDrafts)
			.values({ caseId, createdById: actor.id })
			.onConflictDoNothing()
			.returning();
		// Another mediator started it meanwhile.
		if (!created) return (await tx.select().from(agreementDrafts).where(eq(agreementDrafts.caseId, caseId)))[0];
		await tx.insert(draftUpdates).values({ draftId: created.id, update: Buffer.from(Y.encodeStateAsUpdate(start)) });
		await tx
			.insert(draftAuthors)
			.values({ draftId: created.id, clientId: start.clientID, author: author.key, authorName: author.name });
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: 'agreement.drafted',
			data: { draftId: created.id },
			ip
		});
		return created;
	});
	return { draft, role, author } satisfies OpenedDraft;
}
