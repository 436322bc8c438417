import { asc, desc, eq } from 'drizzle-orm';
import type { AcknowledgementWay, SessionChoice } from '#shared/notice.ts';
import type { Db } from '../db/client.ts';
import { caseParties, noticeAcknowledgements, users } from '../db/schema.ts';
import { noticeForCase, type NoticeVersion } from './current-notice.ts';

export type PartyAcknowledgement = {
	partyId: string;
	partyName: string;
	/** The party's latest acknowledgement, if any; `current` when it is of the version in force. */
	latest: {
		version: number;
		current: boolean;
		sessionChoice: SessionChoice;
		via: AcknowledgementWay;
		recordedByName: string | null;
		acknowledgedAt: Date;
	} | null;
};

/**
 * For the case page (its committee's view): the notice in force, and each party's latest
 * acknowledgement and choice of a public or closed session.
 */
export async function listNoticeAcknowledgements(
	db: Db,
	caseId: string
): Promise<{ notice: NoticeVersion; parties: PartyAcknowledgement[] }> {
	const [notice, parties, acknowledgements] = await Promise.all([
		noticeForCase(db, caseId),
		db
			.select({ id: caseParties.id, name: caseParties.name })
			.from(caseParties)
			.where(eq(caseParties.caseId, caseId))
			// Applicants first, as the case page lists them.
			.orderBy(asc(caseParties.side), asc(caseParties.createdAt)),
		db
			.select({
				casePartyId: noticeAcknowledgements.casePartyId,
				version: noticeAcknowledgements.version,
				sha256: noticeAcknowledgements.sha256,
				sessionChoice: noticeAcknowledgements.sessionChoice,
				via: noticeAcknowledgements.via,
				recordedByName: users.displayName,
				acknowledgedAt: noticeAcknowledgements.acknowledgedAt
			})
			.from(noticeAcknowledgements)
			.leftJoin(users, eq(users.id, noticeAcknowledgements.recordedById))
			.where(eq(noticeAcknowledgements.caseId, caseId))
			.orderBy(desc(noticeAcknowledgements.acknowledgedAt))
	]);
	return {
		notice,
		parties: parties.map((party) => {
			const latest = acknowledgements.find((ack) => ack.casePartyId === party.id);
			return {
				partyId: party.id,
				partyName: party.name,
				latest: latest
					? {
							version: latest.version,
							current: latest.sha256 === notice.sha256,
							sessionChoice: latest.sessionChoice as SessionChoice,
							via: latest.via as AcknowledgementWay,
							recordedByName: latest.recordedByName,
							acknowledgedAt: latest.acknowledgedAt
						}
					: null
			};
		})
	};
}
