import { and, desc, eq } from 'drizzle-orm';
import type { AgreementBlock } from '#shared/agreement.ts';
import type { CaseDocumentView } from '#shared/documents.ts';
import { AppError } from '#shared/errors.ts';
import type { Db } from '../db/client.ts';
import { caseEvents, cases, committees, users } from '../db/schema.ts';
import { partiesForDocument, partyParticulars } from './party-particulars.ts';
import { RECORD_WORDS, recordDate } from './record-words.ts';
import { sealCaseDocument, type SealingDeps } from './seal-case-document.ts';

const paragraph = (text: string): AgreementBlock => ({ prefix: '', text });
const heading = (text: string): AgreementBlock => ({ prefix: '', text, heading: 2 });

/** The mediator who accepted the case last (at its present tier): the register's 登记人. */
async function registrarOf(db: Db, caseId: string): Promise<string | null> {
	const [accepted] = await db
		.select({ name: users.displayName, label: caseEvents.actorLabel })
		.from(caseEvents)
		.leftJoin(users, eq(users.id, caseEvents.actorId))
		.where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, 'case.accept')))
		.orderBy(desc(caseEvents.seq))
		.limit(1);
	return accepted ? (accepted.name ?? accepted.label) : null;
}

/**
 * The acceptance register (人民调解受理登记表) of an accepted case, as the county's form lays it out:
 * number, date of acceptance, dispute type, source, the parties' agreement to mediation, each
 * party, the facts and the claims, the registrar and the date, under the committee's seal. Sealed
 * and stored with the case; a later one (the case accepted again after an escalation, or made
 * again on demand) supersedes it.
 */
export async function sealAcceptanceRegister(
	app: SealingDeps,
	caseId: string,
	by: { actor: { id: string | null; label: string }; ip: string | null }
): Promise<CaseDocumentView> {
	const [kase] = await app.db
		.select({
			number: cases.number,
			acceptedAt: cases.acceptedAt,
			acceptanceSource: cases.acceptanceSource,
			disputeType: cases.disputeType,
			facts: cases.facts,
			claims: cases.claims,
			committee: committees.name
		})
		.from(cases)
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.where(eq(cases.id, caseId));
	if (!kase) throw new AppError('NOT_FOUND');
	// Only an accepted case whose source was given has a register to print.
	if (!kase.acceptedAt || !kase.acceptanceSource) throw new AppError('CONFLICT');
	const [parties, registrar] = await Promise.all([partiesForDocument(app.db, caseId), registrarOf(app.db, caseId)]);
	const accepted = recordDate(kase.acceptedAt);
	const blocks: AgreementBlock[] = [
		{ prefix: '', text: '人民调解受理登记表', heading: 1 },
		paragraph(`编号：${kase.number}`),
		paragraph(`受理日期：${accepted}`),
		paragraph(`纠纷类型：${RECORD_WORDS.disputeTypes[kase.disputeType]}`),
		paragraph(`受理来源：${RECORD_WORDS.acceptanceSources[kase.acceptanceSource]}`),
		paragraph('经当事人同意调解：是（受理时经人民调解员确认）'),
		heading('当事人基本情况'),
		...parties.map(partyParticulars),
		heading('纠纷简要情况'),
		paragraph(kase.facts),
		heading('申请事项'),
		paragraph(kase.claims),
		heading('登记'),
		paragraph(`登记人：${registrar ?? by.actor.label}`),
		paragraph(`登记日期：${accepted}`),
		paragraph(`${kase.committee}（印章）`),
		paragraph(accepted)
	];
	return sealCaseDocument(app, { caseId, kind: 'acceptance_register', blocks, actor: by.actor, ip: by.ip });
}
