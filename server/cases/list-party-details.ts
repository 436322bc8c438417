import { asc, eq, inArray } from 'drizzle-orm';
import type { PartySide } from '#shared/cases.ts';
import { maskIdNumber, missingPartyDetails, type PartyDetails } from '#shared/party-details.ts';
import type { Db } from '../db/client.ts';
import { caseParties } from '../db/schema.ts';

export type CasePartyDetails = {
	id: string;
	side: PartySide;
	details: PartyDetails;
	userId: string | null;
	hasLink: boolean;
	trackingToken: string | null;
};

const columns = {
	id: caseParties.id,
	caseId: caseParties.caseId,
	side: caseParties.side,
	userId: caseParties.userId,
	linkHash: caseParties.trackingTokenHash,
	trackingToken: caseParties.trackingToken,
	kind: caseParties.kind,
	name: caseParties.name,
	phone: caseParties.phone,
	address: caseParties.address,
	gender: caseParties.gender,
	ethnicity: caseParties.ethnicity,
	birthDate: caseParties.birthDate,
	occupation: caseParties.occupation,
	workplace: caseParties.workplace,
	idType: caseParties.idType,
	idNumber: caseParties.idNumber,
	creditCode: caseParties.creditCode,
	representative: caseParties.representative,
	representativeRole: caseParties.representativeRole,
	agentName: caseParties.agentName,
	agentPhone: caseParties.agentPhone,
	agentScope: caseParties.agentScope,
	agentFileId: caseParties.agentPowerOfAttorneyFileId,
	agentFilename: caseParties.agentPowerOfAttorneyFilename
};
const selectParties = (db: Db) => db.select(columns).from(caseParties);
type PartyRow = Awaited<ReturnType<typeof selectParties>>[number];

/**
 * The parties of a case with their full details, applicants first, in the order they were
 * added: what the case page, the tracking page and the documents of record read. The ID
 * numbers are whole; `shownDetails` masks them for whoever may not read them.
 */
export async function listPartyDetails(db: Db, caseId: string): Promise<CasePartyDetails[]> {
	const rows = await selectParties(db)
		.where(eq(caseParties.caseId, caseId))
		.orderBy(asc(caseParties.side), asc(caseParties.createdAt));
	return rows.map(casePartyOf);
}

/** Of the given cases, those with a party whose details are incomplete, for the case list's marker. */
export async function casesWithIncompleteParties(db: Db, caseIds: string[]): Promise<Set<string>> {
	if (!caseIds.length) return new Set();
	const rows = await selectParties(db).where(inArray(caseParties.caseId, caseIds));
	return new Set(rows.filter((row) => missingPartyDetails(casePartyOf(row).details).length).map((row) => row.caseId));
}

function casePartyOf(row: PartyRow): CasePartyDetails {
	return {
		id: row.id,
		side: row.side,
		userId: row.userId,
		hasLink: row.linkHash !== null,
		trackingToken: row.trackingToken,
		details: {
			kind: row.kind,
			name: row.name,
			phone: row.phone,
			address: row.address,
			gender: row.gender,
			ethnicity: row.ethnicity,
			birthDate: row.birthDate,
			occupation: row.occupation,
			workplace: row.workplace,
			idType: row.idType,
			idNumber: row.idNumber,
			creditCode: row.creditCode,
			representative: row.representative,
			representativeRole: row.representativeRole,
			agent: row.agentName
				? {
						name: row.agentName,
						phone: row.agentPhone,
						scope: row.agentScope,
						powerOfAttorney:
							row.agentFileId && row.agentFilename ? { fileId: row.agentFileId, filename: row.agentFilename } : null
					}
				: null
		}
	};
}

/** The details as someone outside the case's committee may see them: the ID number masked. */
export function shownDetails(details: PartyDetails, wholeIdNumber: boolean): PartyDetails {
	if (wholeIdNumber || !details.idNumber) return details;
	return { ...details, idNumber: maskIdNumber(details.idNumber) };
}
