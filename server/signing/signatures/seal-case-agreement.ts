import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { SealedAgreementView } from '#shared/signing.ts';
import { recordCaseEvent } from '../../audit/record-case-event.ts';
import { frozenBlocks } from '../../agreements/draft-store.ts';
import { applyTransition } from '../../cases/transition-case.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { cases, committees, draftVersions, sealedAgreements } from '../../db/schema.ts';
import type { DomainEvents } from '../../events/domain-events.ts';
import { readPublicOrigin } from '../../setup/read-public-origin.ts';
import type { DocumentSealer } from '../document-sealer.ts';
import { documentLabels } from '../pdf/document-labels.ts';
import type { DocumentLanguage } from '../pdf/document-pdf-input.ts';
import { sealKeyFor } from '../seal-keys/seal-key-for.ts';
import { printedSigners } from './printed-signers.ts';
import { describeSigning } from './describe-signing.ts';

/** The agreement is printed in Chinese, as the committee's records are. */
const LANGUAGE: DocumentLanguage = 'zh-CN';

/**
 * Once every party and a mediator have signed the frozen version: builds the agreement PDF with
 * their signatures, seals it with the committee's key (both on the signing worker), stores it
 * with its SHA-256, supersedes the case's earlier sealed agreement and moves a case scheduled or
 * in mediation to resolved. Nothing when signatures are missing, or the version is sealed already.
 * Nothing a signer's client sent is printed as sent: the verification link is built on the app's
 * configured address, and the browser is named from a fixed list.
 */
export async function sealCaseAgreement(
	app: { db: Db; config: Config; sealer: DocumentSealer; events: DomainEvents },
	draftId: string,
	caseId: string
): Promise<SealedAgreementView | null> {
	const signing = await describeSigning(app.db, { id: draftId, caseId, kind: 'agreement', sessionId: null });
	if (!signing.complete || !signing.versionId) return null;
	const versionId = signing.versionId;
	const [[version], [kase], signers] = await Promise.all([
		app.db.select().from(draftVersions).where(eq(draftVersions.id, versionId)),
		app.db
			.select({ id: cases.id, number: cases.number, committee: committees.name, orgNodeId: committees.orgNodeId })
			.from(cases)
			.innerJoin(committees, eq(committees.id, cases.committeeId))
			.where(eq(cases.id, caseId)),
		printedSigners(
			app.db,
			caseId,
			versionId,
			signing.signers.map((signer) => signer.key)
		)
	]);
	if (!version?.sha256 || !kase) throw new AppError('CONFLICT');
	const labels = documentLabels(LANGUAGE);
	const id = randomUUID();
	const seal = await sealKeyFor(app.db, kase.orgNodeId);
	const origin = await readPublicOrigin(app);
	const sealed = await app.sealer.seal(
		{
			language: LANGUAGE,
			title: labels.titles.agreement,
			caseNumber: kase.number,
			committee: kase.committee,
			blocks: frozenBlocks(version.state),
			signers,
			textSha256: version.sha256,
			verificationUrl: `${origin}/verify?agreement=${id}`
		},
		seal.key
	);
	const now = new Date();
	const view = await app.db.transaction(async (tx) => {
		const [row] = await tx.select().from(cases).where(eq(cases.id, kase.id)).for('no key update');
		// Another signer's request sealed it meanwhile.
		const [already] = await tx
			.select({ id: sealedAgreements.id })
			.from(sealedAgreements)
			.where(eq(sealedAgreements.versionId, versionId));
		if (already) return null;
		await tx
			.update(sealedAgreements)
			.set({ supersededAt: now })
			.where(and(eq(sealedAgreements.caseId, kase.id), isNull(sealedAgreements.supersededAt)));
		await tx.insert(sealedAgreements).values({
			id,
			caseId: kase.id,
			versionId,
			pdf: Buffer.from(sealed.pdf),
			sha256: sealed.sha256,
			textSha256: version.sha256!,
			sealKeyId: seal.id,
			pages: sealed.pages,
			sealedAt: now
		});
		await recordCaseEvent(tx, {
			caseId: kase.id,
			actorLabel: kase.committee,
			action: 'agreement.sealed',
			data: {
				sealedAgreementId: id,
				versionId,
				sha256: sealed.sha256,
				textSha256: version.sha256,
				pages: sealed.pages
			},
			ip: null
		});
		// A signed agreement is the mediation's outcome: a case still scheduled had its mediation.
		const by = { actorLabel: kase.committee };
		const status =
			row.status === 'scheduled' ? await applyTransition(tx, row, { transition: 'start' }, by, null, now) : row.status;
		if (status === 'in_mediation') {
			const summary = labels.record.resolved;
			await applyTransition(tx, { ...row, status }, { transition: 'resolve', summary }, by, null, now);
		}
		return { id, sha256: sealed.sha256, sealedAt: now.toISOString(), pages: sealed.pages };
	});
	if (view) await app.events.emit('agreement.sealed', { caseId: kase.id, sealedAgreementId: id });
	return view;
}
