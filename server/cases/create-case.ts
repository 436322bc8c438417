import { createHash, randomBytes } from 'node:crypto';
import type { CaseChannel } from '#shared/cases.ts';
import type { CaseIntake } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { caseParties, cases } from '../db/schema.ts';
import type { Upload } from '../evidence/read-uploads.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { attachEvidence, type EvidenceActor } from './attach-evidence.ts';
import { nextCaseNumber } from './case-number.ts';
import { checkDailyCeiling } from './check-daily-ceiling.ts';
import { committeeForPlace, disputePlace, type HandlingCommittee } from './route-case.ts';
import { caseSearchText, searchTokens } from './search-tokens.ts';

/** A private link token, looked up by its SHA-256. */
export function newTrackingToken(): { token: string; hash: string } {
	const token = randomBytes(24).toString('base64url');
	return { token, hash: trackingTokenHash(token) };
}

export function trackingTokenHash(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export type NewCase = {
	intake: CaseIntake;
	channel: CaseChannel;
	/** Who submitted it: an account, or (online) the applicant by name. */
	submittedBy: { userId: string } | { label: string };
	reporterId?: string;
	registeredById?: string;
	referredFromCommitteeId?: string;
	/** Where it goes instead of its village's committee (a walk-in stays with the committee it walked into). */
	committee?: HandlingCommittee;
	/** Give the applicant a private tracking link. */
	applicantLink?: boolean;
	/** At most this many cases of the channel for the committee in a day (anonymous intake). */
	dailyCeiling?: number;
	ip: string | null;
};

export type CreatedCase = { caseId: string; number: string; trackingToken: string | null };

/**
 * The one way a case comes into being, whatever the channel: number, routing,
 * parties, evidence and the first audit events, all in one transaction so a
 * failure writes nothing.
 */
export async function createCase(
	app: { db: Db; log: Logger; events: DomainEvents },
	fresh: NewCase,
	uploads: Upload[]
): Promise<CreatedCase> {
	const { intake } = fresh;
	const place = await disputePlace(app.db, intake.villageId);
	const committee = fresh.committee ?? (await committeeForPlace(app.db, place.path));
	const link = fresh.applicantLink ? newTrackingToken() : null;
	const parties = [
		{
			side: 'applicant' as const,
			...intake.applicant,
			trackingTokenHash: link?.hash ?? null,
			trackingToken: link?.token ?? null
		},
		...intake.respondents.map((respondent) => ({ side: 'respondent' as const, ...respondent }))
	];
	const searchText = caseSearchText(
		intake.facts,
		parties.map((p) => p.name)
	);

	const created = await app.db.transaction(async (tx: Db) => {
		if (fresh.dailyCeiling) await checkDailyCeiling(tx, committee.id, fresh.channel, fresh.dailyCeiling);
		const number = await nextCaseNumber(tx, place.path);
		const [row] = await tx
			.insert(cases)
			.values({
				number,
				disputeType: intake.disputeType,
				channel: fresh.channel,
				facts: intake.facts,
				claims: intake.claims,
				amountCents: intake.amount ?? null,
				villageId: place.id,
				committeeId: committee.id,
				committeePath: committee.path,
				reporterId: fresh.reporterId ?? null,
				registeredById: fresh.registeredById ?? null,
				referredFromCommitteeId: fresh.referredFromCommitteeId ?? null,
				searchText,
				searchTokens: searchTokens(searchText)
			})
			.returning({ id: cases.id });
		const partyRows = await tx
			.insert(caseParties)
			.values(parties.map((party) => ({ caseId: row.id, ...party })))
			.returning({ id: caseParties.id, side: caseParties.side });
		const applicantId = partyRows.find((p) => p.side === 'applicant')!.id;

		const actor: EvidenceActor =
			'userId' in fresh.submittedBy
				? { actorId: fresh.submittedBy.userId }
				: { actorLabel: fresh.submittedBy.label, partyId: applicantId };
		await recordCaseEvent(tx, {
			caseId: row.id,
			...actor,
			action: 'case.submitted',
			data: {
				number,
				channel: fresh.channel,
				disputeType: intake.disputeType,
				villageId: place.id,
				committeeId: committee.id,
				referredFromCommitteeId: fresh.referredFromCommitteeId ?? null,
				parties: partyRows.length
			},
			ip: fresh.ip
		});
		await attachEvidence(tx, row.id, uploads, actor, fresh.ip);
		return { caseId: row.id, number };
	});
	app.log.info({ caseId: created.caseId, channel: fresh.channel, committeeId: committee.id }, 'case created');
	await app.events.emit('case.changed', { caseId: created.caseId });
	return { ...created, trackingToken: link?.token ?? null };
}
