import { eq, inArray } from 'drizzle-orm';
import type { AgreementBlock } from '#shared/agreement.ts';
import { amountInCapitals, amountInFigures, type PerformanceState } from '#shared/performance.ts';
import type { Db } from '../db/client.ts';
import { performancePlans, performanceProofs, storedFiles } from '../db/schema.ts';
import type { DossierPdfInput } from '../signing/pdf/dossier-pdf-input.ts';
import { getCasePerformance, type ProofView } from './get-performance.ts';

type Part = DossierPdfInput['parts'][number];

/** Proof photos and PDFs bound in, together, at most: beyond it proof is listed, not reproduced. */
const BOUND_PROOF_BYTES = 60 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

const STATE_WORDS: Record<PerformanceState, string> = {
	planned: '未履行',
	reported: '当事人已报履行，待确认',
	confirmed: '已确认履行',
	waived: '经当事人协商免除'
};

const dateTime = (date: Date) =>
	new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long', timeStyle: 'short' }).format(date);
const day = (iso: string) => {
	const [year, month, date] = iso.split('-').map(Number);
	return `${year}年${month}月${date}日`;
};
const paragraph = (text: string): AgreementBlock => ({ prefix: '', text });

/**
 * The case file's part on performance (履行情况及凭证): each item of the plan (what, how much in
 * figures and capitals, when, where, by whom, its state, who confirmed it and when, the proof with
 * its SHA-256), then the proof photos and PDFs reproduced as evidence is. Nothing without a plan.
 */
export async function performanceParts(db: Db, caseId: string): Promise<Part[]> {
	const [[plan], performance] = await Promise.all([
		db.select().from(performancePlans).where(eq(performancePlans.caseId, caseId)),
		getCasePerformance(db, caseId)
	]);
	if (!plan || !performance.items.length) return [];
	const proofNumbers = new Map<string, string>();
	const blocks: AgreementBlock[] = [
		paragraph(
			plan.performedAt
				? `本协议已履行完毕（${dateTime(plan.performedAt)}），共 ${performance.items.length} 项。`
				: `本协议共 ${performance.items.length} 项履行事项，已确认或免除 ${performance.settled} 项，尚未履行完毕。`
		),
		...performance.items.map((item): AgreementBlock => {
			const lines = [
				item.description,
				item.amountCents === null
					? null
					: `金额：人民币 ${amountInFigures(item.amountCents)} 元（大写：${amountInCapitals(item.amountCents)}）`,
				`履行期限：${day(item.dueOn)}前；履行地点：${item.place}；履行义务人：${item.responsible.name}`,
				`状态：${STATE_WORDS[item.state]}`,
				item.reportedAt
					? `${item.reportedBy ?? '当事人'} 于 ${dateTime(item.reportedAt)} 报告已履行${item.reportNote ? `：${item.reportNote}` : ''}`
					: null,
				item.settledAt
					? `${item.settledBy ?? '—'} 于 ${dateTime(item.settledAt)} ${item.state === 'waived' ? '记录免除' : '确认'}${item.reason ? `，理由：${item.reason}` : ''}`
					: null,
				...item.proofs.map((proof, index) => {
					const number = `${item.number}-${index + 1}`;
					proofNumbers.set(proof.id, number);
					return `凭证 ${number}：${proof.filename}，${proof.uploaderLabel || '—'} 于 ${dateTime(proof.createdAt)} 上传，SHA-256：${proof.sha256}`;
				})
			];
			return { prefix: `${item.number}. `, text: lines.filter((line) => line !== null).join('\n') };
		})
	];
	const proofs = performance.items.flatMap((item) => item.proofs);
	return [{ type: 'text', title: '履行情况及凭证', blocks }, ...(await boundProofs(db, proofs, proofNumbers))];
}

/** The proof photos on pages of their own and the proof PDFs page by page, while the budget lasts. */
async function boundProofs(db: Db, proofs: ProofView[], numbers: Map<string, string>): Promise<Part[]> {
	let budget = BOUND_PROOF_BYTES;
	const bound = proofs.filter((proof) => {
		if (proof.size > budget) return false;
		budget -= proof.size;
		return true;
	});
	if (!bound.length) return [];
	const files = await db
		.select({ proofId: performanceProofs.id, content: storedFiles.content })
		.from(performanceProofs)
		.innerJoin(storedFiles, eq(storedFiles.id, performanceProofs.fileId))
		.where(
			inArray(
				performanceProofs.id,
				bound.map((proof) => proof.id)
			)
		);
	const contents = new Map(files.map((file) => [file.proofId, new Uint8Array(file.content)]));
	const photos = bound.filter((proof) => PHOTO_TYPES.includes(proof.mimeType));
	const pdfs = bound.filter((proof) => proof.mimeType === 'application/pdf');
	return [
		...(photos.length
			? [
					{
						type: 'photos' as const,
						title: '履行凭证照片',
						photos: photos.map((proof) => ({
							caption:
								`凭证 ${numbers.get(proof.id)}：${proof.filename}（SHA-256：${proof.sha256.slice(0, 16)}…）`.slice(
									0,
									300
								),
							image: contents.get(proof.id)!
						}))
					}
				]
			: []),
		...pdfs.map((proof) => ({
			type: 'pdf' as const,
			title: `履行凭证 ${numbers.get(proof.id)}：${proof.filename}`.slice(0, 100),
			pdf: contents.get(proof.id)!
		}))
	];
}
