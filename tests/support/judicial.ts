import { eq } from 'drizzle-orm';
import type { App } from '#server/app.ts';
import { hashPassword } from '#server/auth/password.ts';
import { issuePartyLink } from '#server/cases/issue-party-link.ts';
import { draftVersions, sealedAgreements, users } from '#server/db/schema.ts';
import { addCourt } from '#server/judicial/manage-courts.ts';
import type { Network } from './case-network.ts';
import { scheduleMediation, type CaseSetUp } from './mediation-case.ts';
import { recordSealedAgreement } from './sealed-agreement.ts';
import { agreementText } from './signing-samples.ts';

export const DAY_MS = 86_400_000;
export const PARTY_PASSWORD = 'party-password-1';

/** The day `n` of the 30 days of an agreement sealed at `sealedAt`, at the same time of day. */
export const dayOf = (sealedAt: Date, n: number) => new Date(sealedAt.getTime() + n * DAY_MS);

/**
 * The case of `kase` with what judicial confirmation starts from: its agreement sealed at
 * `sealedAt` (its text with `clauses` after the facts), a court listed on the town, the applicant
 * (李秀英, who has an account) with a password, the respondent (王建国) with an invitation's PIN and
 * a tracking link of his own.
 */
export async function setUpJudicial(
	app: App,
	network: Network,
	kase: CaseSetUp,
	options: { sealedAt: Date; clauses?: string[] }
) {
	// Sealed now (the seal's certificate is this test's), then dated back to the day the test needs.
	const agreement = await recordSealedAgreement(app, network.admin, { caseId: kase.caseId });
	await app.db
		.update(sealedAgreements)
		.set({ sealedAt: options.sealedAt })
		.where(eq(sealedAgreements.id, agreement.id));
	if (options.clauses) {
		const [row] = await app.db
			.select({ versionId: sealedAgreements.versionId })
			.from(sealedAgreements)
			.where(eq(sealedAgreements.id, agreement.id));
		await app.db
			.update(draftVersions)
			.set({ text: agreementText(options.clauses) })
			.where(eq(draftVersions.id, row.versionId));
	}
	const court = await addCourt(app.db, network.admin, {
		orgNodeId: network.admin.orgNodeId,
		name: '青山县人民法院',
		address: '青山县人民路1号',
		phone: '0571-88880000',
		basic: 'on'
	});
	await app.db
		.update(users)
		.set({ passwordHash: await hashPassword(PARTY_PASSWORD) })
		.where(eq(users.id, network.partyUser.id));
	const session = await scheduleMediation(app, network, kase);
	const respondentPin = session.invitationOf(kase.respondent.name).pin;
	const respondentToken = await issuePartyLink(
		app,
		network.eastMediator,
		{ caseId: kase.caseId, partyId: kase.respondent.id },
		null
	);
	return { agreement, courtId: court.id, respondentPin, respondentToken, applicantToken: kase.trackingToken };
}

/** What a party's tracking page sends to sign: the service address and phone, the confirmation and the proof. */
export const signing = (prepared: string, password: string, fields: Record<string, string> = {}) => ({
	prepared,
	serviceAddress: '青山镇东村12号',
	servicePhone: '138 0013 8000',
	confirm: 'on',
	password,
	...fields
});
