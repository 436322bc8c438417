import { createHash, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { AgreementBlock } from '#shared/agreement.ts';
import { ACCUMULATING_KINDS, type CaseDocumentView, type DocumentKind } from '#shared/documents.ts';
import { AppError } from '#shared/errors.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { cases, committees, sealedDocuments } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { readPublicOrigin } from '../setup/read-public-origin.ts';
import type { DocumentSealer } from '../signing/document-sealer.ts';
import { documentLabels } from '../signing/pdf/document-labels.ts';
import type { DocumentPdfInput } from '../signing/pdf/document-pdf-input.ts';
import { sealKeyFor } from '../signing/seal-keys/seal-key-for.ts';

export type SealingDeps = { db: Db; config: Config; sealer: DocumentSealer; events: DomainEvents };

/** A document of a case to print and seal: its kind, its text as blocks, and who signed it. */
export type CaseDocumentInput = {
	caseId: string;
	kind: DocumentKind;
	/** The session a mediation record is of. */
	sessionId?: string | null;
	/** The frozen draft version a signed document was sealed from: one document per version. */
	versionId?: string | null;
	/** The text as printed: headings, paragraphs, numbered items (`agreementBlocks`' shape). */
	blocks: AgreementBlock[];
	signers?: DocumentPdfInput['signers'];
	/** Sealed PDFs bound in after the text (the agreement a judicial-confirmation application goes with). */
	appendices?: DocumentPdfInput['appendices'];
	/** Who had it made, as the audit log names them. */
	actor: { id: string | null; label: string };
	ip: string | null;
};

/** A sealed document not stored yet: what `storeSealedDocument` writes. */
export type SealedCaseDocument = Omit<CaseDocumentInput, 'blocks' | 'signers' | 'appendices'> & {
	id: string;
	pdf: Uint8Array;
	sha256: string;
	textSha256: string;
	sealKeyId: string;
	pages: number;
	sealedAt: Date;
};

/** Documents of record are printed in Chinese, as the committee's records are. */
const LANGUAGE = 'zh-CN';

const textSha256 = (blocks: AgreementBlock[]) =>
	createHash('sha256')
		.update(blocks.map((block) => block.prefix + block.text).join('\n'))
		.digest('hex');

/**
 * Prints the document and seals it with the key of the case's committee (on the signing worker),
 * its certificate page pointing /verify at the id it will be stored under. Slow: call it before,
 * not inside, the transaction that stores it.
 */
export async function sealDocumentPdf(app: SealingDeps, input: CaseDocumentInput): Promise<SealedCaseDocument> {
	const [kase] = await app.db
		.select({ number: cases.number, committee: committees.name, orgNodeId: committees.orgNodeId })
		.from(cases)
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.where(eq(cases.id, input.caseId));
	if (!kase) throw new AppError('NOT_FOUND');
	const id = randomUUID();
	const [seal, origin] = await Promise.all([sealKeyFor(app.db, kase.orgNodeId), readPublicOrigin(app)]);
	const sealedAt = new Date();
	const title = documentLabels(LANGUAGE).titles[input.kind];
	// Every document is headed by its name, unless its text starts with a title of its own.
	const blocks =
		input.blocks[0]?.heading === 1 ? input.blocks : [{ prefix: '', text: title, heading: 1 }, ...input.blocks];
	const text = textSha256(blocks);
	const sealed = await app.sealer.seal(
		{
			kind: input.kind,
			language: LANGUAGE,
			title,
			caseNumber: kase.number,
			committee: kase.committee,
			blocks,
			signers: input.signers ?? [],
			appendices: input.appendices,
			issuedAt: input.signers?.length ? undefined : sealedAt,
			textSha256: text,
			verificationUrl: `${origin}/verify?document=${id}`
		},
		seal.key
	);
	const { blocks: _blocks, signers: _signers, appendices: _appendices, ...rest } = input;
	return {
		...rest,
		id,
		pdf: sealed.pdf,
		sha256: sealed.sha256,
		textSha256: text,
		sealKeyId: seal.id,
		pages: sealed.pages,
		sealedAt
	};
}

function supersedeCurrent(tx: Db, document: SealedCaseDocument, sessionId: string | null) {
	return tx
		.update(sealedDocuments)
		.set({ supersededAt: document.sealedAt })
		.where(
			and(
				eq(sealedDocuments.caseId, document.caseId),
				eq(sealedDocuments.kind, document.kind),
				sessionId ? eq(sealedDocuments.sessionId, sessionId) : isNull(sealedDocuments.sessionId),
				isNull(sealedDocuments.supersededAt)
			)
		);
}

/**
 * Stores a sealed document in the caller's transaction: it supersedes the current one of the same
 * kind, case and session (unless its kind accumulates), and is recorded in the case's audit log.
 */
export async function storeSealedDocument(tx: Db, document: SealedCaseDocument): Promise<CaseDocumentView> {
	const sessionId = document.sessionId ?? null;
	if (!ACCUMULATING_KINDS.includes(document.kind)) await supersedeCurrent(tx, document, sessionId);
	await tx.insert(sealedDocuments).values({
		id: document.id,
		caseId: document.caseId,
		kind: document.kind,
		sessionId,
		versionId: document.versionId ?? null,
		pdf: Buffer.from(document.pdf),
		sha256: document.sha256,
		textSha256: document.textSha256,
		sealKeyId: document.sealKeyId,
		pages: document.pages,
		sealedAt: document.sealedAt
	});
	await recordCaseEvent(tx, {
		caseId: document.caseId,
		actorId: document.actor.id,
		actorLabel: document.actor.label,
		action: 'document.sealed',
		data: {
			documentId: document.id,
			kind: document.kind,
			sessionId,
			sha256: document.sha256,
			textSha256: document.textSha256,
			pages: document.pages
		},
		ip: document.ip
	});
	return {
		id: document.id,
		kind: document.kind,
		sessionId,
		sha256: document.sha256,
		pages: document.pages,
		sealedAt: document.sealedAt.toISOString(),
		supersededAt: null
	};
}

/** Prints, seals and stores a document on its own; `sealDocumentPdf` and `storeSealedDocument` when it goes with another change. */
export async function sealCaseDocument(app: SealingDeps, input: CaseDocumentInput): Promise<CaseDocumentView> {
	const sealed = await sealDocumentPdf(app, input);
	const view = await app.db.transaction((tx) => storeSealedDocument(tx, sealed));
	await app.events.emit('document.sealed', { caseId: input.caseId, documentId: view.id, kind: view.kind });
	return view;
}
