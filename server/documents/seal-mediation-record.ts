import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { CaseDocumentView } from '#shared/documents.ts';
import { frozenBlocks } from '../agreements/draft-store.ts';
import type { DraftTarget } from '../agreements/draft-role.ts';
import { readRecordHeader } from '../agreements/read-record-header.ts';
import { agreementDrafts, cases, committees, draftVersions, sealedDocuments } from '../db/schema.ts';
import { describeSigning } from '../signing/signatures/describe-signing.ts';
import { printedSigners } from '../signing/signatures/printed-signers.ts';
import { recordHeaderBlocks, recordOutcomeBlocks } from './record-blocks.ts';
import { sealDocumentPdf, storeSealedDocument, type SealingDeps } from './seal-case-document.ts';

/**
 * Once the parties present, a mediator and the recorder have signed the session's record: prints
 * the header as the session's attendance stands now (at its end), the frozen text and the result
 * frozen with it, with their signatures, seals it with the committee's key and stores it with the
 * case as a `mediation_record` document. It does not move the case: a record is no outcome.
 * Nothing when signatures are missing, or the version is sealed already.
 */
export async function sealMediationRecord(
	app: SealingDeps,
	draft: DraftTarget & { id: string }
): Promise<CaseDocumentView | null> {
	if (!draft.sessionId) throw new AppError('CONFLICT');
	const signing = await describeSigning(app.db, draft);
	if (!signing.complete || !signing.versionId) return null;
	const versionId = signing.versionId;
	const [[version], [kase], signers, header] = await Promise.all([
		app.db.select().from(draftVersions).where(eq(draftVersions.id, versionId)),
		app.db
			.select({ committee: committees.name })
			.from(cases)
			.innerJoin(committees, eq(committees.id, cases.committeeId))
			.where(eq(cases.id, draft.caseId)),
		printedSigners(
			app.db,
			draft.caseId,
			versionId,
			signing.signers.map((signer) => signer.key)
		),
		readRecordHeader(app.db, draft.sessionId)
	]);
	if (!version?.sha256 || !version.recordOutcome || !kase) throw new AppError('CONFLICT');
	const [already] = await app.db
		.select({ id: sealedDocuments.id })
		.from(sealedDocuments)
		.where(eq(sealedDocuments.versionId, versionId));
	if (already) return null;
	const sealed = await sealDocumentPdf(app, {
		caseId: draft.caseId,
		kind: 'mediation_record',
		sessionId: draft.sessionId,
		versionId,
		blocks: [
			...recordHeaderBlocks(header),
			...frozenBlocks(version.state),
			...recordOutcomeBlocks(version.recordOutcome)
		],
		signers,
		actor: { id: null, label: kase.committee },
		ip: null
	});
	const view = await app.db.transaction(async (tx) => {
		// The draft's row, so that sealings of it take turns; another signer's request may have sealed it meanwhile.
		await tx
			.select({ id: agreementDrafts.id })
			.from(agreementDrafts)
			.where(eq(agreementDrafts.id, draft.id))
			.for('no key update');
		const [raced] = await tx
			.select({ id: sealedDocuments.id })
			.from(sealedDocuments)
			.where(eq(sealedDocuments.versionId, versionId));
		return raced ? null : storeSealedDocument(tx, sealed);
	});
	if (view) await app.events.emit('document.sealed', { caseId: draft.caseId, documentId: view.id, kind: view.kind });
	return view;
}
