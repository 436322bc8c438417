import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { App } from '../../server/app.ts';
import { applyOnline } from '../../server/cases/apply-online.ts';
import { issuePartyLink } from '../../server/cases/issue-party-link.ts';
import { transitionCase } from '../../server/cases/transition-case.ts';
import { caseParties, orgNodes, users } from '../../server/db/schema.ts';
import { seedJudicialConfirmation } from '../../server/demo/seed-judicial-confirmation.ts';
import { scheduleSession } from '../../server/sessions/schedule-session.ts';
import type { Actor } from '../../src/lib/shared/roles.ts';
import { e2eStateDir } from './e2e-state.ts';
import { recordSealedAgreement } from './sealed-agreement.ts';

/** What the judicial-confirmation test needs of its case: each party's tracking link and PIN. */
export type JudicialParties = Record<'applicant' | 'respondent', { name: string; token: string; pin: string }> & {
	caseId: string;
};

const judicialFile = () => join(e2eStateDir('demo'), 'judicial-parties.json');

export const readJudicialParties = (): JudicialParties => JSON.parse(readFileSync(judicialFile(), 'utf8'));

/**
 * A case of its own for the judicial-confirmation test, so that no other test's case changes: a
 * 东村 dispute applied for online, accepted by the demo mediator, a mediation scheduled (which
 * gives each party a PIN), its agreement sealed, the application prepared. Writes the parties'
 * links and PINs for the test.
 */
export async function seedJudicialCase(app: App, admin: Actor): Promise<void> {
	const [mediatorRow] = await app.db.select().from(users).where(eq(users.username, 'mediator'));
	const mediator: Actor = { ...mediatorRow, mustChangePassword: false };
	const [village] = await app.db.select({ id: orgNodes.id }).from(orgNodes).where(eq(orgNodes.name, '东村'));
	const { caseId, trackingToken } = await applyOnline(
		app,
		{
			disputeType: 'contract',
			facts: '被申请人向申请人借款两万元，约定一年内归还，到期后未还。',
			claims: '归还借款两万元。',
			amount: '20000',
			villageId: village.id,
			applicant: { name: '韩晓燕', phone: '13700137001', address: '东村8号' },
			respondents: [{ name: '马永强', phone: '13700137002', address: '东村15号' }]
		},
		[],
		null
	);
	await transitionCase(app, mediator, { caseId, transition: 'accept', consent: 'on' }, null);
	const parties = await app.db.select().from(caseParties).where(eq(caseParties.caseId, caseId));
	const respondent = parties.find((party) => party.side === 'respondent')!;
	const applicant = parties.find((party) => party.side === 'applicant')!;
	const scheduled = await scheduleSession(
		app,
		mediator,
		{
			caseId,
			kind: 'mediation',
			scheduledFor: new Date(Date.now() + 86_400_000).toISOString().slice(0, 16),
			utcOffset: '0',
			partyIds: [applicant.id, respondent.id]
		},
		null
	);
	const pinOf = (name: string) => scheduled.invitations.find((invitation) => invitation.displayName === name)!.pin;
	const respondentToken = await issuePartyLink(app, mediator, { caseId, partyId: respondent.id }, null);
	await recordSealedAgreement(app, admin, { caseId });
	await seedJudicialConfirmation(app, mediator, caseId);
	const written: JudicialParties = {
		caseId,
		applicant: { name: applicant.name, token: trackingToken!, pin: pinOf(applicant.name) },
		respondent: { name: respondent.name, token: respondentToken, pin: pinOf(respondent.name) }
	};
	writeFileSync(judicialFile(), JSON.stringify(written));
}
