import { and, eq, isNull } from 'drizzle-orm';
import { clauseKey, flagClauses } from '#shared/judicial.ts';
import type { Actor } from '#shared/roles.ts';
import type { App } from '../app.ts';
import { cases, committees, courts, orgNodes } from '../db/schema.ts';
import { currentJudicialAgreement } from '../judicial/judicial-agreement.ts';
import { startJudicialApplication } from '../judicial/start-judicial-application.ts';

/** The county's basic-level court the demo lists on the town, as an admin would on /admin/courts. */
export const DEMO_COURT = { name: '青山县人民法院', address: '青山县人民路1号', phone: '0571-88880000' };

/**
 * For a demo case whose agreement is sealed: lists the demo court on the town (the top of the
 * committee's path) unless it is there, and has `mediator` (one of the case's mediators) prepare
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
	const townId = kase.path.split('/').filter(Boolean)[0] ?? kase.committeeNodeId;
	const [listed] = await app.db
		.select({ id: courts.id })
		.from(courts)
		.innerJoin(orgNodes, eq(orgNodes.id, courts.orgNodeId))
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
