import { and, asc, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { judicialClock, type JudicialClock } from '#shared/judicial.ts';
import type { Db } from '../db/client.ts';
import {
	caseParties,
	draftVersions,
	judicialApplications,
	sealedAgreements,
	sessionParticipants,
	users
} from '../db/schema.ts';
import type { SignerIdentity } from '../signing/signatures/case-signers.ts';

/** The case's current sealed agreement as judicial confirmation needs it: when it took effect, and its text. */
export type JudicialAgreement = { id: string; sealedAt: Date; text: string; pages: number; sha256: string };

/** The case's current sealed agreement, or null: the agreement takes effect the day it is sealed. */
export async function currentJudicialAgreement(db: Db, caseId: string): Promise<JudicialAgreement | null> {
	const [agreement] = await db
		.select({
			id: sealedAgreements.id,
			sealedAt: sealedAgreements.sealedAt,
			text: draftVersions.text,
			pages: sealedAgreements.pages,
			sha256: sealedAgreements.sha256
		})
		.from(sealedAgreements)
		.innerJoin(draftVersions, eq(draftVersions.id, sealedAgreements.versionId))
		.where(and(eq(sealedAgreements.caseId, caseId), isNull(sealedAgreements.supersededAt)))
		.orderBy(desc(sealedAgreements.sealedAt))
		.limit(1);
	return agreement ?? null;
}

/** The clock of the case's agreement on `now`, refused as CONFLICT (`window_closed`) once its 30 days have passed. */
export function openClock(agreement: JudicialAgreement, now: Date): JudicialClock {
	const clock = judicialClock(agreement.sealedAt, now);
	if (clock.state === 'closed') throw new AppError('CONFLICT', { fields: { judicial: ['window_closed'] } });
	return clock;
}

/** The application for an agreement, or null. */
export async function applicationFor(db: Db, sealedAgreementId: string) {
	const [application] = await db
		.select()
		.from(judicialApplications)
		.where(eq(judicialApplications.sealedAgreementId, sealedAgreementId));
	return application ?? null;
}
export type ApplicationRow = NonNullable<Awaited<ReturnType<typeof applicationFor>>>;

/** Those who apply: every party of the case, applicants first, in the order they were filed. */
export function applicantsOf(db: Db, caseId: string) {
	return db
		.select()
		.from(caseParties)
		.where(eq(caseParties.caseId, caseId))
		.orderBy(asc(caseParties.side), asc(caseParties.createdAt));
}

/**
 * How a party proves it is them when signing on their tracking page, as for the agreement: their
 * account's password when they have one, otherwise the PIN of their latest invitation to one of
 * the case's sessions. Null when they have neither.
 */
export async function partyProof(db: Db, party: typeof caseParties.$inferSelect): Promise<SignerIdentity | null> {
	const signer = { key: `party:${party.id}`, name: party.name, role: 'party' as const };
	if (party.userId) {
		const [account] = await db
			.select({ passwordHash: users.passwordHash })
			.from(users)
			.where(eq(users.id, party.userId));
		if (account) return { ...signer, proof: 'password', passwordHash: account.passwordHash };
	}
	const [invitation] = await db
		.select({ id: sessionParticipants.id, pinHash: sessionParticipants.pinHash })
		.from(sessionParticipants)
		.where(
			and(
				eq(sessionParticipants.casePartyId, party.id),
				isNotNull(sessionParticipants.pinHash),
				isNull(sessionParticipants.revokedAt)
			)
		)
		.orderBy(desc(sessionParticipants.createdAt))
		.limit(1);
	return invitation?.pinHash
		? { ...signer, proof: 'pin', participantId: invitation.id, pinHash: invitation.pinHash }
		: null;
}
