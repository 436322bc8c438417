import { asc, eq, inArray } from 'drizzle-orm';
import type { AgreementBlock } from '#shared/agreement.ts';
import { ETHNIC_GROUPS } from '#shared/ethnic-groups.ts';
import type { Db } from '../db/client.ts';
import { caseParties } from '../db/schema.ts';
import { documentLabels } from '../signing/pdf/document-labels.ts';
import { recordDate, RECORD_WORDS } from './record-words.ts';

type PartyRow = typeof caseParties.$inferSelect;

/** The case's parties (or those of `partyIds`) in the order the documents list them: applicants first, then by filing. */
export async function partiesForDocument(db: Db, caseId: string, partyIds?: readonly string[]): Promise<PartyRow[]> {
	const parties = await db
		.select()
		.from(caseParties)
		.where(eq(caseParties.caseId, caseId))
		.orderBy(asc(caseParties.side), asc(caseParties.createdAt));
	return partyIds ? parties.filter((party) => partyIds.includes(party.id)) : parties;
}

/** Whether every id names one of the case's parties. */
export async function areCaseParties(db: Db, caseId: string, partyIds: readonly string[]): Promise<boolean> {
	const found = await db
		.select({ id: caseParties.id, caseId: caseParties.caseId })
		.from(caseParties)
		.where(inArray(caseParties.id, [...partyIds]));
	return found.length === new Set(partyIds).size && found.every((party) => party.caseId === caseId);
}

/**
 * One party's particulars as the documents of record print them — for a person 姓名、性别、民族、出生
 * 日期、职业或职务、证件、联系电话、住址或工作单位, for an organisation 名称、统一社会信用代码、法定代表人、
 * 地址, and the agent with the scope of their authority: the one place that says which of a
 * party's details the documents show. ID numbers are printed whole, as the committee's files
 * keep them.
 */
export function partyParticulars(party: PartyRow): AgreementBlock {
	const words = RECORD_WORDS;
	const ethnicity = ETHNIC_GROUPS.find((group) => group.code === party.ethnicity)?.zh;
	const details =
		party.kind === 'organisation'
			? [
					`名称：${party.name}`,
					party.creditCode && `统一社会信用代码：${party.creditCode}`,
					party.representative &&
						`${words.representativeRoles[party.representativeRole ?? 'legal_representative']}：${party.representative}`,
					party.phone && `联系电话：${party.phone}`,
					party.address && `地址：${party.address}`
				]
			: [
					`姓名：${party.name}`,
					party.gender && `性别：${words.genders[party.gender]}`,
					ethnicity && `民族：${ethnicity}`,
					party.birthDate && `出生日期：${recordDate(new Date(`${party.birthDate}T12:00:00+08:00`))}`,
					party.occupation && `职业或职务：${party.occupation}`,
					party.idType && party.idNumber && `${words.idTypes[party.idType]}：${party.idNumber}`,
					party.phone && `联系电话：${party.phone}`,
					party.address && `住址：${party.address}`,
					party.workplace && `工作单位：${party.workplace}`
				];
	const agent =
		party.agentName &&
		`委托代理人：${party.agentName}${party.agentPhone ? `，联系电话：${party.agentPhone}` : ''}${party.agentScope ? `，${words.agentScopes[party.agentScope]}` : ''}`;
	const lines = [details.filter(Boolean).join('；'), agent].filter(Boolean);
	return { prefix: '', text: `${documentLabels('zh-CN').roles[party.side]}\u3000${lines.join('\n')}` };
}
