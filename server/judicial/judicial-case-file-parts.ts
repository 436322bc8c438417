import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { AgreementBlock } from '#shared/agreement.ts';
import type { Db } from '../db/client.ts';
import { judicialApplications, sealedDocuments, storedFiles } from '../db/schema.ts';
import type { DossierPdfInput } from '../signing/pdf/dossier-pdf-input.ts';
import { recordDate } from '../documents/record-words.ts';

type Part = DossierPdfInput['parts'][number];

const paragraph = (text: string): AgreementBlock => ({ prefix: '', text });
const day = (date: string) => recordDate(new Date(`${date}T12:00:00+08:00`));

/**
 * The case file's 司法确认材料: each sealed application packet (the application with the
 * agreement bound in), followed by what the court answered and the ruling's scan (a PDF bound
 * in, a photo on a page of its own). Nothing for a case whose parties did not apply.
 */
export async function judicialCaseFileParts(db: Db, caseId: string): Promise<Part[]> {
	const rows = await db
		.select({
			application: judicialApplications,
			pdf: sealedDocuments.pdf,
			sealedAt: sealedDocuments.sealedAt,
			rulingPdf: storedFiles.content,
			rulingType: storedFiles.mimeType
		})
		.from(judicialApplications)
		.innerJoin(sealedDocuments, eq(sealedDocuments.id, judicialApplications.documentId))
		.leftJoin(storedFiles, eq(storedFiles.id, judicialApplications.rulingFileId))
		.where(and(eq(judicialApplications.caseId, caseId), isNotNull(judicialApplications.documentId)))
		.orderBy(asc(sealedDocuments.sealedAt));
	return rows.flatMap(({ application: a, pdf, sealedAt, rulingPdf, rulingType }): Part[] => {
		const answer = [
			paragraph(`受理法院：${a.court.name}。申请材料于 ${recordDate(sealedAt)} 经双方签署并加盖电子印章。`),
			paragraph(a.filedOn ? `${day(a.filedOn)} 向法院提交申请。` : '尚未记录向法院提交申请。'),
			...(a.accepted === null || !a.acceptanceOn
				? []
				: [paragraph(`${day(a.acceptanceOn)} 法院${a.accepted ? '受理' : '裁定不予受理'}。`)]),
			...(a.ruling && a.rulingOn
				? [
						paragraph(
							`${day(a.rulingOn)} 法院作出${a.ruling === 'confirmed' ? '确认调解协议有效' : '驳回申请'}的裁定，文书编号：${a.rulingNumber ?? '—'}${a.rulingFilename ? `（裁定书扫描件：${a.rulingFilename}）` : ''}。`
						)
					]
				: [])
		];
		return [
			{ type: 'pdf', title: '司法确认申请材料', pdf: new Uint8Array(pdf) },
			{ type: 'text', title: '司法确认结果', blocks: answer },
			...(rulingPdf && rulingType === 'application/pdf'
				? [{ type: 'pdf' as const, title: '司法确认裁定书', pdf: new Uint8Array(rulingPdf) }]
				: []),
			...(rulingPdf && rulingType !== 'application/pdf'
				? [
						{
							type: 'photos' as const,
							title: '司法确认裁定书',
							photos: [{ caption: a.rulingFilename ?? '裁定书', image: new Uint8Array(rulingPdf) }]
						}
					]
				: [])
		];
	});
}
