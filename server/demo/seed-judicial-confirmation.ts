import { and, eq, inArray, isNull } from 'drizzle-orm';
import { clauseKey, flagClauses } from '#shared/judicial.ts';
import type { Actor } from '#shared/roles.ts';
import type { App } from '../app.ts';
import { issuePartyLink } from '../cases/issue-party-link.ts';
import { caseParties, cases, committees, courts, judicialApplications, orgNodes } from '../db/schema.ts';
import { currentJudicialAgreement } from '../judicial/judicial-agreement.ts';
import { recordCourtAnswer } from '../judicial/record-court-answer.ts';
import { signJudicialApplication } from '../judicial/sign-judicial-application.ts';
import { startJudicialApplication } from '../judicial/start-judicial-application.ts';
import { demoSignature } from './demo-signature.ts';

/** The demo county's basic-level court, listed on the town as its admin would on /admin/courts. */
export const DEMO_COURT = { name: '示范县人民法院', address: '示范县人民路1号', phone: '0571-88880000' };

/**
 * For a demo case whose agreement is sealed: lists the demo court on the town above the case's
 * committee (or on the committee's own node) unless it is there, and has `mediator` (one of the case's mediators) prepare
 * the joint application, every flagged clause left out. The parties then sign it on their
 * tracking pages (`signJudicialApplication`). Returns the application's id.
 */
export async function seedJudicialConfirmation(
	app: App,
	mediator: Actor,
	caseId: string,
	now = new Date()
): Promise<string> {
	const [kase] = await app.db
		.select({ path: cases.committeePath, committeeNodeId: committees.orgNodeId })
		.from(cases)
		.innerJoin(committees, eq(committees.id, cases.committeeId))
		.where(eq(cases.id, caseId));
	const ancestors = await app.db
		.select({ id: orgNodes.id, kind: orgNodes.kind })
		.from(orgNodes)
		.where(inArray(orgNodes.id, kase.path.split('/').filter(Boolean)));
	const townId = ancestors.find((node) => node.kind === 'town')?.id ?? kase.committeeNodeId;
	const [listed] = await app.db
		.select({ id: courts.id })
		.from(courts)
		.where(and(eq(courts.orgNodeId, townId), eq(courts.name, DEMO_COURT.name), isNull(courts.retiredAt)));
	const courtId =
		listed?.id ??
		(
			await app.db
				.insert(courts)
				.values({ ...DEMO_COURT, orgNodeId: townId, basic: true })
				.returning({ id: courts.id })
		)[0].id;
	const agreement = await currentJudicialAgreement(app.db, caseId);
	if (!agreement) throw new Error('the demo case has no sealed agreement');
	const decisions = Object.fromEntries(
		flagClauses(agreement.text).map((clause) => [clauseKey(clause.line), 'exclude'])
	);
	const { applicationId } = await startJudicialApplication(app, mediator, { caseId, courtId, decisions }, null, now);
	return applicationId;
}

/**
 * The rest of the way for the application `seedJudicialConfirmation` prepared: each party signs
 * it on their tracking page with their invitation's PIN (`pins` by party name), confirming their
 * service address and phone, which seals the packet; then the mediator records the court's
 * answer: filed, accepted and confirmed today.
 */
export async function seedJudicialSignaturesAndRuling(
	app: App,
	mediator: Actor,
	caseId: string,
	pins: Map<string, string>
): Promise<void> {
	const [application] = await app.db
		.select({ startedAt: judicialApplications.startedAt })
		.from(judicialApplications)
		.where(eq(judicialApplications.caseId, caseId));
	const parties = await app.db.select().from(caseParties).where(eq(caseParties.caseId, caseId));
	for (const party of parties) {
		const token = await issuePartyLink(app, mediator, { caseId, partyId: party.id }, null);
		const form = {
			prepared: application.startedAt.toISOString(),
			serviceAddress: party.address ?? party.workplace ?? '',
			servicePhone: party.phone,
			confirm: 'on',
			password: pins.get(party.name)
		};
		await signJudicialApplication(app, token, form, demoSignature(), { ip: '127.0.0.1', userAgent: null });
	}
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
	for (const step of ['filed', 'accepted', 'confirmed'])
		await recordCourtAnswer(
			app,
			mediator,
			{ caseId, step, on: today, rulingNumber: '（2026）示0102民特15号' },
			[],
			null
		);
}
