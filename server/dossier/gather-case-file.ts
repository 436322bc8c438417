import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { AgreementBlock } from '#shared/agreement.ts';

import { AppError } from '#shared/errors.ts';
import type { AcknowledgementWay, SessionChoice } from '#shared/notice.ts';
import { chainVerdict } from '../audit/verify-case-chain.ts';
import type { Db } from '../db/client.ts';
import {
	caseEvents,
	caseEvidence,
	caseMediators,
	caseParties,
	cases,
	committees,
	mediationSessions,
	noticeAcknowledgements,
	sealedAgreements,
	sealedDocuments,
	storedFiles,
	users
} from '../db/schema.ts';
import { followUpCaseFileParts } from '../follow-ups/follow-up-case-file-parts.ts';
import { documentLabels } from '../signing/pdf/document-labels.ts';
import type { DossierPdfInput } from '../signing/pdf/dossier-pdf-input.ts';
import { partyParticulars } from '../documents/party-particulars.ts';
import { judicialCaseFileParts } from '../judicial/judicial-case-file-parts.ts';
import { RECORD_WORDS } from '../documents/record-words.ts';
import { performanceParts } from '../performance/performance-parts.ts';
import { eventSentence } from './event-sentence.ts';
import { listRetentionPeriods } from './retention-periods.ts';

type Part = DossierPdfInput['parts'][number];

/** What the binder prints on the cover, the documents in order, and what the seal vouches for. */
export type GatheredCaseFile = Omit<DossierPdfInput, 'filedBy' | 'filedAt' | 'verificationUrl'> & {
	orgNodeId: string;
	/** SHA-256 of every part in order: the text the file's seal is recorded against. */
	manifestSha256: string;
};

/** Photos and PDFs bound in, together, at most: beyond it evidence is listed, not reproduced. */
const BOUND_EVIDENCE_BYTES = 120 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

const titles = documentLabels('zh-CN').titles;
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const dateTime = (date: Date) =>
	new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long', timeStyle: 'short' }).format(date);
const paragraph = (text: string): AgreementBlock => ({ prefix: '', text });
const heading = (text: string): AgreementBlock => ({ prefix: '', text, heading: 2 });
const item = (index: number, text: string): AgreementBlock => ({ prefix: `${index + 1}. `, text });

function sizeOf(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function caseOf(db: Db, caseId: string) {
	const [kase] = await db
		.select({
			id: cases.id,
			number: cases.number,
			fileNumber: cases.fileNumber,
			disputeType: cases.disputeType,
			channel: cases.channel,
			facts: cases.facts,
			claims: cases.claims,
			amountCents: cases.amountCents,
			createdAt: cases.createdAt,
			committee: committees.name,
			orgNodeId: committees.orgNodeId
		})
		.from(cases)
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.where(eq(cases.id, caseId));
	if (!kase) throw new AppError('NOT_FOUND');
	return kase;
}

type Kase = Awaited<ReturnType<typeof caseOf>>;
type Party = typeof caseParties.$inferSelect;

/** The application (人民调解申请书) as the intake recorded it. */
function application(kase: Kase, parties: Party[]): Part {
	const blocks = [
		heading('当事人'),
		...parties.map(partyParticulars),
		heading('纠纷简要情况'),
		paragraph(kase.facts),
		heading('申请事项'),
		paragraph(kase.claims),
		...(kase.amountCents === null ? [] : [paragraph(`涉及金额：人民币 ${(kase.amountCents / 100).toFixed(2)} 元`)]),
		heading('申请方式'),
		paragraph(
			`${RECORD_WORDS.channels[kase.channel]}，${dateTime(kase.createdAt)}，纠纷类型：${RECORD_WORDS.disputeTypes[kase.disputeType]}。`
		)
	];
	return { type: 'text', title: '人民调解申请书', blocks };
}

/** Ways a party acknowledged the notice, as the file says them. */
const ACKNOWLEDGED_VIA: Record<AcknowledgementWay, string> = {
	account: '本人账户确认',
	invitation: '本人凭邀请确认',
	on_site: '现场签名确认'
};
const SESSION_CHOICE: Record<SessionChoice, string> = { public: '同意公开调解', closed: '要求不公开调解' };

/** Every acknowledgement of the rights and duties notice by the case's parties, with the version's SHA-256 and the choice. */
async function noticeAcknowledgementsPart(db: Db, caseId: string): Promise<Part[]> {
	const rows = await db
		.select({
			party: caseParties.name,
			version: noticeAcknowledgements.version,
			sha256: noticeAcknowledgements.sha256,
			sessionChoice: noticeAcknowledgements.sessionChoice,
			via: noticeAcknowledgements.via,
			recordedBy: users.displayName,
			ip: noticeAcknowledgements.ip,
			acknowledgedAt: noticeAcknowledgements.acknowledgedAt
		})
		.from(noticeAcknowledgements)
		.innerJoin(caseParties, eq(caseParties.id, noticeAcknowledgements.casePartyId))
		.leftJoin(users, eq(users.id, noticeAcknowledgements.recordedById))
		.where(eq(noticeAcknowledgements.caseId, caseId))
		.orderBy(asc(noticeAcknowledgements.acknowledgedAt));
	if (rows.length === 0) return [];
	const blocks = rows.map((row, index) =>
		item(
			index,
			`${row.party} 于 ${dateTime(row.acknowledgedAt)} 确认已阅知第 ${row.version} 版告知书（${ACKNOWLEDGED_VIA[row.via as AcknowledgementWay]}${row.via === 'on_site' && row.recordedBy ? `，由 ${row.recordedBy} 记录` : ''}），${SESSION_CHOICE[row.sessionChoice as SessionChoice]}。\n告知书 SHA-256：${row.sha256}${row.ip ? `；IP：${row.ip}` : ''}`
		)
	);
	return [{ type: 'text', title: '当事人权利义务告知确认记录', blocks }];
}

async function evidenceParts(db: Db, caseId: string): Promise<Part[]> {
	const rows = await db
		.select({
			id: caseEvidence.id,
			filename: caseEvidence.filename,
			createdAt: caseEvidence.createdAt,
			fileId: storedFiles.id,
			mimeType: storedFiles.mimeType,
			size: storedFiles.size,
			sha256: storedFiles.sha256,
			uploader: users.displayName,
			party: caseParties.name
		})
		.from(caseEvidence)
		.innerJoin(storedFiles, eq(storedFiles.id, caseEvidence.fileId))
		.leftJoin(users, eq(users.id, caseEvidence.uploadedById))
		.leftJoin(caseParties, eq(caseParties.id, caseEvidence.uploadedByPartyId))
		.where(eq(caseEvidence.caseId, caseId))
		.orderBy(asc(caseEvidence.createdAt));
	if (rows.length === 0) return [];
	const list: Part = {
		type: 'text',
		title: '证据清单',
		blocks: rows.map((row, index) =>
			item(
				index,
				`${row.filename}（${row.mimeType}，${sizeOf(row.size)}）\nSHA-256：${row.sha256}\n${row.uploader ?? row.party ?? '—'} 于 ${dateTime(row.createdAt)} 上传`
			)
		)
	};
	// Photos and PDFs are reproduced while the budget lasts; the rest stay on the list only.
	let budget = BOUND_EVIDENCE_BYTES;
	const bound = rows.filter((row) => {
		if (!PHOTO_TYPES.includes(row.mimeType) && row.mimeType !== 'application/pdf') return false;
		if (row.size > budget) return false;
		budget -= row.size;
		return true;
	});
	const contents = new Map(
		bound.length
			? (
					await db
						.select({ id: storedFiles.id, content: storedFiles.content })
						.from(storedFiles)
						.where(
							inArray(
								storedFiles.id,
								bound.map((row) => row.fileId)
							)
						)
				).map((file) => [file.id, new Uint8Array(file.content)])
			: []
	);
	const photos = bound.filter((row) => PHOTO_TYPES.includes(row.mimeType));
	const pdfs = bound.filter((row) => row.mimeType === 'application/pdf');
	return [
		list,
		...(photos.length
			? [
					{
						type: 'photos' as const,
						title: '证据照片',
						photos: photos.map((row) => ({
							caption: `${rows.indexOf(row) + 1}. ${row.filename}（SHA-256：${row.sha256.slice(0, 16)}…）`,
							image: contents.get(row.fileId)!
						}))
					}
				]
			: []),
		...pdfs.map((row) => ({
			type: 'pdf' as const,
			title: `证据 ${rows.indexOf(row) + 1}：${row.filename}`.slice(0, 100),
			pdf: contents.get(row.fileId)!
		}))
	];
}

/** The case's current sealed documents of `kind`, as bound-in PDFs (records in the order of their sessions). */
async function sealedParts(
	db: Db,
	caseId: string,
	kind: 'acceptance_register' | 'mediation_record' | 'oral_agreement'
) {
	const rows = await db
		.select({ pdf: sealedDocuments.pdf, sealedAt: sealedDocuments.sealedAt, session: mediationSessions.scheduledFor })
		.from(sealedDocuments)
		.leftJoin(mediationSessions, eq(mediationSessions.id, sealedDocuments.sessionId))
		.where(
			and(eq(sealedDocuments.caseId, caseId), eq(sealedDocuments.kind, kind), isNull(sealedDocuments.supersededAt))
		)
		.orderBy(asc(mediationSessions.scheduledFor), asc(sealedDocuments.sealedAt));
	return rows.map((row): Part => ({ type: 'pdf', title: titles[kind], pdf: new Uint8Array(row.pdf) }));
}

async function agreementParts(db: Db, caseId: string): Promise<Part[]> {
	const [agreement] = await db
		.select({ pdf: sealedAgreements.pdf })
		.from(sealedAgreements)
		.where(and(eq(sealedAgreements.caseId, caseId), isNull(sealedAgreements.supersededAt)));
	const agreed: Part[] = agreement
		? [{ type: 'pdf', title: titles.agreement, pdf: new Uint8Array(agreement.pdf) }]
		: [];
	return [...agreed, ...(await sealedParts(db, caseId, 'oral_agreement'))];
}

/** An extract of the case's hash-chained audit log: every event, who, when, and its hash. */
async function auditExtract(db: Db, caseId: string): Promise<{ part: Part; first: Date; last: Date }> {
	const events = await db
		.select({
			seq: caseEvents.seq,
			actorId: caseEvents.actorId,
			actorLabel: caseEvents.actorLabel,
			actorName: users.displayName,
			action: caseEvents.action,
			data: caseEvents.data,
			ip: caseEvents.ip,
			createdAt: caseEvents.createdAt,
			prevHash: caseEvents.prevHash,
			hash: caseEvents.hash,
			caseId: caseEvents.caseId
		})
		.from(caseEvents)
		.leftJoin(users, eq(users.id, caseEvents.actorId))
		.where(eq(caseEvents.caseId, caseId))
		.orderBy(asc(caseEvents.seq));
	const verdict = chainVerdict(events);
	const blocks = [
		paragraph(
			verdict.intact
				? `本案审计日志共 ${verdict.events} 条，哈希链校验完整。`
				: `本案审计日志哈希链在第 ${verdict.brokenAt} 条处校验不符，请核查。`
		),
		...events.map((event) =>
			paragraph(
				`${event.seq}. ${dateTime(event.createdAt)} ${eventSentence(event.action, event.actorName ?? event.actorLabel ?? '—')}\n哈希：${event.hash}`
			)
		)
	];
	return {
		part: { type: 'text', title: '案件审计日志摘录', blocks },
		first: events[0]?.createdAt ?? new Date(),
		last: events.at(-1)?.createdAt ?? new Date()
	};
}

/** What one part contributes to the manifest: its title and the SHA-256 of what it holds. */
function manifestLine(part: Part): string {
	if (part.type === 'pdf') return `${part.title} ${sha256(part.pdf)}`;
	if (part.type === 'photos') return `${part.title} ${part.photos.map((photo) => sha256(photo.image)).join(' ')}`;
	return `${part.title} ${sha256(part.blocks.map((block) => block.prefix + block.text).join('\n'))}`;
}

/**
 * Everything the case file of a case binds, in the order a reviewer reads it: the application,
 * the acceptance register, the evidence (its list, its photos, its PDFs), the mediation records,
 * the agreement or the oral agreement, the proof of its performance, the follow-up records, the
 * judicial-confirmation papers, and an extract of the audit log; with the cover's facts.
 */
export async function gatherCaseFile(db: Db, caseId: string): Promise<GatheredCaseFile> {
	const kase = await caseOf(db, caseId);
	const [parties, mediators, retention] = await Promise.all([
		db
			.select()
			.from(caseParties)
			.where(eq(caseParties.caseId, caseId))
			.orderBy(asc(caseParties.side), asc(caseParties.createdAt)),
		db
			.select({ name: users.displayName })
			.from(caseMediators)
			.innerJoin(users, eq(users.id, caseMediators.userId))
			.where(eq(caseMediators.caseId, caseId))
			.orderBy(asc(caseMediators.createdAt)),
		listRetentionPeriods(db)
	]);
	const audit = await auditExtract(db, caseId);
	const parts: Part[] = [
		application(kase, parties),
		...(await sealedParts(db, caseId, 'acceptance_register')),
		...(await noticeAcknowledgementsPart(db, caseId)),
		...(await evidenceParts(db, caseId)),
		...(await sealedParts(db, caseId, 'mediation_record')),
		...(await agreementParts(db, caseId)),
		...(await performanceParts(db, caseId)),
		...(await followUpCaseFileParts(db, caseId)),
		...(await judicialCaseFileParts(db, caseId)),
		audit.part
	];
	const names = (side: Party['side']) =>
		parties
			.filter((party) => party.side === side)
			.map((party) => party.name)
			.join('、');
	const respondents = names('respondent');
	return {
		title:
			`${names('applicant')}${respondents ? `与${respondents}` : ''}${RECORD_WORDS.disputeTypes[kase.disputeType]}`.slice(
				0,
				200
			),
		fileNumber: kase.fileNumber ?? '',
		caseNumber: kase.number,
		committee: kase.committee,
		orgNodeId: kase.orgNodeId,
		mediators: mediators.map((mediator) => mediator.name),
		firstDocumentAt: kase.createdAt < audit.first ? kase.createdAt : audit.first,
		lastDocumentAt: audit.last,
		retention: retention[kase.disputeType],
		parts,
		manifestSha256: sha256(parts.map(manifestLine).join('\n'))
	};
}
