import { and, eq, isNull } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import { sealedDocuments } from '../db/schema.ts';
import type { SealingDeps } from '../documents/seal-case-document.ts';
import { bindCaseFile } from './bind-case-file.ts';

async function currentCaseFile(app: SealingDeps, caseId: string) {
	const [current] = await app.db
		.select({ pdf: sealedDocuments.pdf, sha256: sealedDocuments.sha256 })
		.from(sealedDocuments)
		.where(
			and(
				eq(sealedDocuments.caseId, caseId),
				eq(sealedDocuments.kind, 'case_file'),
				isNull(sealedDocuments.supersededAt)
			)
		);
	return current ?? null;
}

/**
 * The case's file (卷宗) as a PDF, for its committee — the mediators and admins who see the case
 * as the committee does, never its parties or experts: the current one, or, when none was bound
 * yet (a case still open), one bound now. `rebind` binds it anew from the documents as they are.
 */
export async function caseFileFor(
	app: SealingDeps,
	actor: Actor,
	caseId: string,
	ip: string | null,
	options: { rebind?: boolean } = {}
) {
	authorize(actor, 'cases:committee-view');
	const kase = await findVisibleCase(app.db, actor, caseId);
	const current = options.rebind ? null : await currentCaseFile(app, caseId);
	if (current) return { ...current, caseNumber: kase.number, kind: 'case_file' as const };
	await bindCaseFile(app, caseId, { id: actor.id, label: actor.displayName }, ip);
	const bound = await currentCaseFile(app, caseId);
	return { ...bound!, caseNumber: kase.number, kind: 'case_file' as const };
}
