import { asc, eq, inArray } from 'drizzle-orm';
import type { AgreementBlock } from '#shared/agreement.ts';
import type { Db } from '../db/client.ts';
import { caseParties } from '../db/schema.ts';
import { documentLabels } from '../signing/pdf/document-labels.ts';

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
 * One party's particulars as a document of record prints them (申请人：姓名，联系电话，住址): the one
 * place that says which of a party's details the registers show.
 */
export function partyParticulars(party: PartyRow): AgreementBlock {
	const details = [
		`姓名：${party.name}`,
		party.phone ? `联系电话：${party.phone}` : null,
		party.address ? `住址：${party.address}` : null
	].filter((detail) => detail !== null);
	return { prefix: '', text: `${documentLabels('zh-CN').roles[party.side]}\u3000${details.join('；')}` };
}
