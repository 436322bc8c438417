import { asc, eq } from 'drizzle-orm';
import type { CaseDocumentView } from '#shared/documents.ts';
import { AppError } from '#shared/errors.ts';
import {
	cases,
	caseMediators,
	committees,
	judicialApplications,
	judicialSignatures,
	sealedAgreements,
	users
} from '../db/schema.ts';
import { sealDocumentPdf, storeSealedDocument, type SealingDeps } from '../documents/seal-case-document.ts';
import { documentLabels } from '../signing/pdf/document-labels.ts';
import { describeDevice } from '../signing/signatures/describe-device.ts';
import { applicantsOf, applicationFor, currentJudicialAgreement, openClock } from './judicial-agreement.ts';
import { packetBlocks } from './packet-blocks.ts';

/**
 * Once every party has signed the application, within the 30 days: prints it with their
 * signatures, binds the sealed agreement's pages after it, seals the packet with the committee's
 * key as a `judicial_confirmation` document and links it to the application. Nothing when a
 * signature is missing or it is sealed already (another signer's request may have sealed it).
 */
export async function sealJudicialPacket(
	app: SealingDeps,
	caseId: string,
	now = new Date()
): Promise<CaseDocumentView | null> {
	const agreement = await currentJudicialAgreement(app.db, caseId);
	const application = agreement && (await applicationFor(app.db, agreement.id));
	if (!agreement || !application) throw new AppError('CONFLICT', { fields: { judicial: ['required'] } });
	if (application.documentId) return null;
	openClock(agreement, now);
	const [parties, signatures, mediators, [kase], [agreementPdf]] = await Promise.all([
		applicantsOf(app.db, caseId),
		app.db.select().from(judicialSignatures).where(eq(judicialSignatures.applicationId, application.id)),
		app.db
			.select({ name: users.displayName })
			.from(caseMediators)
			.innerJoin(users, eq(users.id, caseMediators.userId))
			.where(eq(caseMediators.caseId, caseId))
			.orderBy(asc(caseMediators.createdAt)),
		app.db
			.select({ number: cases.number, committee: committees.name })
			.from(cases)
			.innerJoin(committees, eq(committees.id, cases.committeeId))
			.where(eq(cases.id, caseId)),
		app.db.select({ pdf: sealedAgreements.pdf }).from(sealedAgreements).where(eq(sealedAgreements.id, agreement.id))
	]);
	const signatureOf = new Map(signatures.map((signature) => [signature.casePartyId, signature]));
	if (!kase || parties.some((party) => !signatureOf.has(party.id))) return null;
	const applicants = parties.map((party) => ({ party, ...signatureOf.get(party.id)! }));
	const role = documentLabels('zh-CN').roles.applicant;
	const sealed = await sealDocumentPdf(app, {
		caseId,
		kind: 'judicial_confirmation',
		blocks: packetBlocks({
			caseNumber: kase.number,
			committee: kase.committee,
			mediators: mediators.map((mediator) => mediator.name),
			court: application.court,
			note: application.note,
			clauses: application.clauses,
			agreement,
			applicants
		}),
		signers: applicants.map(({ party, image, signedAt, ip, userAgent }) => ({
			name: party.name,
			role,
			signature: new Uint8Array(image),
			signedAt,
			ip: ip ?? '—',
			device: describeDevice(userAgent, 'zh-CN'),
			method: 'own_device' as const
		})),
		appendices: [{ title: documentLabels('zh-CN').titles.agreement, pdf: new Uint8Array(agreementPdf.pdf) }],
		actor: { id: null, label: kase.committee },
		ip: null
	});
	const view = await app.db.transaction(async (tx) => {
		const [row] = await tx
			.select({ documentId: judicialApplications.documentId })
			.from(judicialApplications)
			.where(eq(judicialApplications.id, application.id))
			.for('update');
		if (row.documentId) return null;
		const stored = await storeSealedDocument(tx, sealed);
		await tx
			.update(judicialApplications)
			.set({ documentId: stored.id })
			.where(eq(judicialApplications.id, application.id));
		return stored;
	});
	if (view) {
		await app.events.emit('document.sealed', { caseId, documentId: view.id, kind: view.kind });
		await app.events.emit('judicial.changed', { caseId });
	}
	return view;
}
