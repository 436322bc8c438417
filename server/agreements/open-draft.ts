import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { agreementSchema } from '#shared/agreement-schema.ts';
import { AGREEMENT_FIELD, type DraftRole } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import { DRAFT_EVENTS } from '#shared/mediation-record.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { agreementDrafts, draftAuthors, draftUpdates, mediationSessions } from '../db/schema.ts';
import type { RoomIdentity } from '../sessions/participant-of.ts';
import { templateForCase } from './agreement-template.ts';
import { draftRoleOf, type DraftAuthor, type DraftTarget } from './draft-role.ts';
import { RECORD_TEMPLATE } from './record-template.ts';

export type OpenedDraft = {
	draft: typeof agreementDrafts.$inferSelect;
	role: DraftRole;
	author: DraftAuthor;
};

/** Which draft someone asks for: the case's agreement, or a mediation session's record. */
export type DraftRequest = { caseId?: string; sessionId?: string };

/** The draft asked for; a record only of a mediation session (of the case, when a case is named). */
async function targetOf(db: Db, request: DraftRequest): Promise<DraftTarget> {
	if (!request.sessionId) return { caseId: request.caseId!, kind: 'agreement', sessionId: null };
	const [session] = await db
		.select({ caseId: mediationSessions.caseId, kind: mediationSessions.kind })
		.from(mediationSessions)
		.where(eq(mediationSessions.id, request.sessionId));
	if (!session || session.kind !== 'mediation' || (request.caseId && request.caseId !== session.caseId)) {
		throw new AppError('NOT_FOUND');
	}
	return { caseId: session.caseId, kind: 'mediation_record', sessionId: request.sessionId };
}

const existingDraft = (db: Db, target: DraftTarget) =>
	db
		.select()
		.from(agreementDrafts)
		.where(
			target.sessionId
				? and(eq(agreementDrafts.kind, target.kind), eq(agreementDrafts.sessionId, target.sessionId))
				: and(eq(agreementDrafts.kind, target.kind), eq(agreementDrafts.caseId, target.caseId))
		);

/**
 * A draft, for someone with a part in it. The case's agreement is started by a mediator opening it
 * first, from the organisation's template filled in with the case; a session's record by a
 * mediator or its recorder, from the record's sections. Anyone else finds it only once started
 * (CONFLICT before).
 */
export async function openDraft(db: Db, identity: RoomIdentity, request: DraftRequest, ip: string | null) {
	const target = await targetOf(db, request);
	const { role, author } = await draftRoleOf(db, identity, target);
	const [existing] = await existingDraft(db, target);
	if (existing) return { draft: existing, role, author } satisfies OpenedDraft;
	const starts = role === 'mediator' || role === 'recorder';
	if (!starts || !('actor' in identity)) throw new AppError('CONFLICT');
	const actor = identity.actor;

	const body: JSONContent = target.kind === 'agreement' ? await templateForCase(db, target.caseId) : RECORD_TEMPLATE;
	const start = new Y.Doc();
	prosemirrorJSONToYXmlFragment(agreementSchema(), body, start.getXmlFragment(AGREEMENT_FIELD));
	const draft = await db.transaction(async (tx) => {
		const [created] = await tx
			.insert(agreementDrafts)
			.values({ caseId: target.caseId, kind: target.kind, sessionId: target.sessionId, createdById: actor.id })
			.onConflictDoNothing()
			.returning();
		// Another mediator started it meanwhile.
		if (!created) return (await existingDraft(tx, target))[0];
		await tx.insert(draftUpdates).values({ draftId: created.id, update: Buffer.from(Y.encodeStateAsUpdate(start)) });
		await tx
			.insert(draftAuthors)
			.values({ draftId: created.id, clientId: start.clientID, author: author.key, authorName: author.name });
		await recordCaseEvent(tx, {
			caseId: target.caseId,
			actorId: actor.id,
			action: DRAFT_EVENTS[target.kind].drafted,
			data: target.sessionId ? { draftId: created.id, sessionId: target.sessionId } : { draftId: created.id },
			ip
		});
		return created;
	});
	return { draft, role, author } satisfies OpenedDraft;
}
