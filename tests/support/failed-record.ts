import { eq } from 'drizzle-orm';
import type { App } from '#server/app.ts';
import { frozenBlocks } from '#server/agreements/draft-store.ts';
import { freezeDraftVersion, saveDraftVersion } from '#server/agreements/draft-versions.ts';
import { openDraft } from '#server/agreements/open-draft.ts';
import { readRecordHeader } from '#server/agreements/read-record-header.ts';
import { setRecordOutcome } from '#server/agreements/set-record-outcome.ts';
import { caseParties, draftVersions } from '#server/db/schema.ts';
import { recordHeaderBlocks, recordOutcomeBlocks } from '#server/documents/record-blocks.ts';
import { sealCaseDocument } from '#server/documents/seal-case-document.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import type { RecordOutcome } from '#shared/mediation-record.ts';
import type { Actor } from '#shared/roles.ts';

export const FAILED: RecordOutcome = {
	result: 'failed',
	reason: '双方对赔偿数额分歧过大',
	nextSteps: '当事人可以向人民法院提起诉讼'
};

/** A mediation of the case within the hour, with its parties invited. */
async function scheduleMediationOf(app: App, mediator: Actor, caseId: string): Promise<string> {
	const parties = await app.db.select({ id: caseParties.id }).from(caseParties).where(eq(caseParties.caseId, caseId));
	const { sessionId } = await scheduleSession(
		app,
		mediator,
		{
			caseId,
			kind: 'mediation',
			scheduledFor: new Date(Date.now() + 3_600_000).toISOString().slice(0, 16),
			utcOffset: '0',
			partyIds: parties.map((p) => p.id)
		},
		null
	);
	return sessionId;
}

/**
 * The record of a mediation of the case (`sessionId`, or a new one) written by the mediator, set
 * as failed, frozen, and sealed (signatures aside: signing a record is tested in
 * tests/integration/mediation-record.spec.ts), so that the case may fail. Real drafts, versions and
 * sealing on the way.
 */
export async function sealFailedRecord(
	app: App,
	mediator: Actor,
	caseId: string,
	{ sessionId, outcome = FAILED }: { sessionId?: string; outcome?: RecordOutcome } = {}
) {
	sessionId ??= await scheduleMediationOf(app, mediator, caseId);
	const { draft, author } = await openDraft(app.db, { actor: mediator }, { sessionId }, null);
	const by = { author, userId: mediator.id, ip: null };
	await setRecordOutcome(app.db, draft.id, outcome, by);
	const saved = await saveDraftVersion(app.db, app.drafts, draft.id, '签署稿', by);
	await freezeDraftVersion(app.db, app.drafts, draft.id, saved.id, by);
	const [version] = await app.db.select().from(draftVersions).where(eq(draftVersions.id, saved.id));
	return sealCaseDocument(app, {
		caseId,
		kind: 'mediation_record',
		sessionId,
		versionId: saved.id,
		blocks: [
			...recordHeaderBlocks(await readRecordHeader(app.db, sessionId)),
			...frozenBlocks(version.state),
			...recordOutcomeBlocks(outcome)
		],
		actor: { id: mediator.id, label: mediator.displayName },
		ip: null
	});
}
