import { and, eq } from 'drizzle-orm';
import {
	flagClauses,
	judicialClock,
	type CourtOption,
	type FlaggedClause,
	type JudicialView
} from '#shared/judicial.ts';
import type { Actor } from '#shared/roles.ts';
import type { CaseRow } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseMediators, judicialSignatures, sealedDocuments, users } from '../db/schema.ts';
import {
	applicantsOf,
	applicationFor,
	currentJudicialAgreement,
	partyProof,
	type JudicialAgreement
} from './judicial-agreement.ts';
import { courtsForCommittee } from './manage-courts.ts';
import { answerOf } from './record-court-answer.ts';

async function viewOf(db: Db, caseId: string, agreement: JudicialAgreement, now: Date): Promise<JudicialView> {
	const application = await applicationFor(db, agreement.id);
	const clock = judicialClock(agreement.sealedAt, now);
	if (!application) return { clock, sealedAgreementId: agreement.id, application: null };
	const [parties, signatures, [startedBy], [document]] = await Promise.all([
		applicantsOf(db, caseId),
		db.select().from(judicialSignatures).where(eq(judicialSignatures.applicationId, application.id)),
		db.select({ name: users.displayName }).from(users).where(eq(users.id, application.startedById)),
		application.documentId
			? db
					.select({ id: sealedDocuments.id, pages: sealedDocuments.pages, sealedAt: sealedDocuments.sealedAt })
					.from(sealedDocuments)
					.where(eq(sealedDocuments.id, application.documentId))
			: []
	]);
	const signatureOf = new Map(signatures.map((signature) => [signature.casePartyId, signature]));
	return {
		clock,
		sealedAgreementId: agreement.id,
		application: {
			id: application.id,
			court: application.court,
			note: application.note,
			clauses: application.clauses,
			applicants: parties.map((party) => {
				const signature = signatureOf.get(party.id);
				return {
					partyId: party.id,
					name: party.name,
					side: party.side,
					serviceAddress: signature?.serviceAddress ?? null,
					servicePhone: signature?.servicePhone ?? null,
					signedAt: signature?.signedAt.toISOString() ?? null
				};
			}),
			startedAt: application.startedAt.toISOString(),
			startedBy: startedBy?.name ?? '—',
			document: document ? { ...document, sealedAt: document.sealedAt.toISOString() } : null,
			answer: answerOf(application)
		}
	};
}

/** What the case page shows the committee: the clock and the application, and for its mediators what starting one needs. */
export type CaseJudicial = JudicialView & {
	/** An assigned mediator may prepare the application (again, while nobody has signed). */
	mayPrepare: boolean;
	/** A mediator may record the court's answer. */
	mayAnswer: boolean;
	courts: CourtOption[];
	flagged: FlaggedClause[];
};

/**
 * Judicial confirmation as the case page shows it to the committee (admins and mediators who see
 * the case), or null when the case has no sealed agreement or the viewer is not of the committee.
 */
export async function caseJudicial(
	db: Db,
	actor: Actor,
	kase: Pick<CaseRow, 'id' | 'committeePath'>,
	now = new Date()
): Promise<CaseJudicial | null> {
	if (actor.role !== 'mediator' && actor.role !== 'admin') return null;
	const agreement = await currentJudicialAgreement(db, kase.id);
	if (!agreement) return null;
	const view = await viewOf(db, kase.id, agreement, now);
	const [assigned] =
		actor.role === 'mediator'
			? await db
					.select({ userId: caseMediators.userId })
					.from(caseMediators)
					.where(and(eq(caseMediators.caseId, kase.id), eq(caseMediators.userId, actor.id)))
			: [];
	const open = view.clock.state !== 'closed';
	const unsigned = !view.application?.applicants.some((applicant) => applicant.signedAt);
	const mayPrepare = Boolean(assigned) && open && unsigned && !view.application?.document;
	return {
		...view,
		mayPrepare,
		mayAnswer: actor.role === 'mediator' && view.application?.document != null,
		courts: mayPrepare ? await courtsForCommittee(db, kase.committeePath) : [],
		flagged: mayPrepare ? flagClauses(agreement.text) : []
	};
}

/** What a party's tracking page shows: the clock, the application, and their own part in signing it. */
export type TrackedJudicial = JudicialView & {
	me: {
		partyId: string;
		/** What their service address and phone are prefilled with: their party details. */
		address: string | null;
		phone: string | null;
		proof: 'password' | 'pin' | null;
	};
};

export async function trackedJudicial(
	db: Db,
	party: { id: string; caseId: string },
	now = new Date()
): Promise<TrackedJudicial | null> {
	const agreement = await currentJudicialAgreement(db, party.caseId);
	if (!agreement) return null;
	const view = await viewOf(db, party.caseId, agreement, now);
	const row = (await applicantsOf(db, party.caseId)).find((applicant) => applicant.id === party.id);
	if (!row) return null;
	const proof = await partyProof(db, row);
	// The other side's service address and phone are theirs: the link may be passed on.
	const application = view.application && {
		...view.application,
		applicants: view.application.applicants.map((applicant) =>
			applicant.partyId === row.id ? applicant : { ...applicant, serviceAddress: null, servicePhone: null }
		)
	};
	return {
		...view,
		application,
		me: { partyId: row.id, address: row.address, phone: row.phone, proof: proof?.proof ?? null }
	};
}
