import { eq } from 'drizzle-orm';
import { canTransition, deadlineState, type DeadlineState } from '#shared/cases.ts';
import { AppError } from '#shared/errors.ts';
import { maskIdNumber } from '#shared/party-details.ts';
import type { Db } from '../db/client.ts';
import { caseParties, cases, committees, orgNodes } from '../db/schema.ts';
import { getTrackedAgreement, type TrackedAgreement } from '../signing/signatures/get-tracked-agreement.ts';
import type { CaseRow } from './case-scope.ts';
import { trackingTokenHash } from './create-case.ts';
import { listPartyDetails } from './list-party-details.ts';
import { listEvidence, listTimeline, type EvidenceItem, type TimelineEvent } from './get-case.ts';

type PartyRow = typeof caseParties.$inferSelect;

const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

/** The party a tracking link belongs to, and their case; an unknown or malformed link is simply not found. */
export async function findTrackedParty(
	db: Db,
	token: string,
	lock = false
): Promise<{ party: PartyRow; caseRow: CaseRow }> {
	if (!TOKEN.test(token)) throw new AppError('NOT_FOUND');
	const query = db
		.select({ party: caseParties, caseRow: cases })
		.from(caseParties)
		.innerJoin(cases, eq(cases.id, caseParties.caseId))
		.where(eq(caseParties.trackingTokenHash, trackingTokenHash(token)));
	const [found] = lock ? await query.for('no key update', { of: cases }) : await query;
	if (!found) throw new AppError('NOT_FOUND');
	return found;
}

export type TrackedCase = {
	partyName: string;
	side: 'applicant' | 'respondent';
	case: {
		number: string;
		status: CaseRow['status'];
		disputeType: CaseRow['disputeType'];
		facts: string;
		claims: string;
		createdAt: Date;
		deadline: Date | null;
		deadlineState: DeadlineState;
		villageName: string;
		committeeName: string;
		outcome: CaseRow['outcome'];
		referralTarget: CaseRow['referralTarget'];
	};
	/** Who is involved; an ID number only masked, as the link may be passed on and the other side reads it too. */
	parties: { side: 'applicant' | 'respondent'; name: string; maskedIdNumber: string | null }[];
	evidence: EvidenceItem[];
	timeline: TimelineEvent[];
	agreement: TrackedAgreement | null;
	/** The applicant may withdraw while the mediation has not ended. */
	canWithdraw: boolean;
};

/**
 * What a party sees through their link: the case's progress, evidence, agreement and outcome,
 * without the committee's internals.
 */
export async function getTrackedCase(db: Db, token: string, now = new Date()): Promise<TrackedCase> {
	const { party, caseRow } = await findTrackedParty(db, token);
	const [[place], parties, evidence, timeline, agreement] = await Promise.all([
		db
			.select({ villageName: orgNodes.name, committeeName: committees.name })
			.from(orgNodes)
			.innerJoin(committees, eq(committees.id, caseRow.committeeId))
			.where(eq(orgNodes.id, caseRow.villageId)),
		listPartyDetails(db, caseRow.id),
		listEvidence(db, caseRow.id),
		listTimeline(db, caseRow.id, false),
		getTrackedAgreement(db, caseRow.id)
	]);
	return {
		partyName: party.name,
		side: party.side,
		case: {
			number: caseRow.number,
			status: caseRow.status,
			disputeType: caseRow.disputeType,
			facts: caseRow.facts,
			claims: caseRow.claims,
			createdAt: caseRow.createdAt,
			deadline: caseRow.deadline,
			deadlineState: deadlineState(caseRow.status, caseRow.deadline, now),
			outcome: caseRow.outcome,
			referralTarget: caseRow.referralTarget,
			...place
		},
		parties: parties.map(({ side, details }) => ({
			side,
			name: details.name,
			maskedIdNumber: details.idNumber && maskIdNumber(details.idNumber)
		})),
		evidence,
		timeline,
		agreement,
		canWithdraw: party.side === 'applicant' && canTransition(caseRow.status, 'withdraw')
	};
}
