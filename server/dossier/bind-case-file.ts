import { randomUUID } from 'node:crypto';
import type { CaseDocumentView } from '#shared/documents.ts';
import { storeSealedDocument, type SealingDeps } from '../documents/seal-case-document.ts';
import { readPublicOrigin } from '../setup/read-public-origin.ts';
import { sealKeyFor } from '../signing/seal-keys/seal-key-for.ts';
import { gatherCaseFile } from './gather-case-file.ts';

/**
 * Binds the case's file (卷宗) as it stands: gathers its documents, builds and seals the binder on
 * the signing worker, and stores it as the case's current case file (an earlier one is
 * superseded), filed by `filedBy`. Made when the case closes, and whenever the committee asks.
 */
export async function bindCaseFile(
	app: SealingDeps,
	caseId: string,
	filedBy: { id: string | null; label: string },
	ip: string | null
): Promise<CaseDocumentView> {
	const gathered = await gatherCaseFile(app.db, caseId);
	const { orgNodeId, manifestSha256, ...cover } = gathered;
	const id = randomUUID();
	const [seal, origin] = await Promise.all([sealKeyFor(app.db, orgNodeId), readPublicOrigin(app)]);
	const filedAt = new Date();
	const sealed = await app.sealer.sealDossier(
		{ ...cover, filedBy: filedBy.label, filedAt, verificationUrl: `${origin}/verify?document=${id}` },
		seal.key,
		{ now: filedAt }
	);
	const view = await app.db.transaction((tx) =>
		storeSealedDocument(tx, {
			id,
			caseId,
			kind: 'case_file',
			actor: filedBy,
			ip,
			pdf: sealed.pdf,
			sha256: sealed.sha256,
			textSha256: manifestSha256,
			sealKeyId: seal.id,
			pages: sealed.pages,
			sealedAt: filedAt
		})
	);
	await app.events.emit('document.sealed', { caseId, documentId: id, kind: 'case_file' });
	return view;
}
