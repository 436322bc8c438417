import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { getCase } from '#server/cases/get-case.ts';
import { getTrackedCase } from '#server/cases/track-case.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { caseEvents, caseParties } from '#server/db/schema.ts';
import { participantOf } from '#server/sessions/participant-of.ts';
import { listTrackedSessions } from '#server/sessions/list-tracked-sessions.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import { endSession } from '#server/sessions/session-status.ts';
import { intakeForm, setUpNetwork, type Network } from '../support/case-network.ts';
import { recordSealedAgreement } from '../support/sealed-agreement.ts';
import { test as base } from '../support/integration-test.ts';
import { sealFailedRecord } from '../support/failed-record.ts';

/** An online application in 东村 (李秀英 against 王建国), accepted by the east mediator. */
async function acceptedCase(app: App, network: Network) {
	const applied = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
	await transitionCase(
		app,
		network.eastMediator,
		{ caseId: applied.caseId, transition: 'accept', consent: 'on' },
		null
	);
	const detail = await getCase(app.db, network.eastMediator, applied.caseId);
	const tokenOf = (side: 'applicant' | 'respondent') => detail.parties.find((p) => p.side === side)!.trackingToken!;
	return { ...applied, applicantToken: tokenOf('applicant'), respondentToken: tokenOf('respondent') };
}

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

describe('every party keeps a tracking link of their own', () => {
	test('accepting the case gives the respondent one, keeps the applicant’s, and shows both to the mediator only', async ({
		app,
		network
	}) => {
		const kase = await acceptedCase(app, network);

		expect(kase.applicantToken).toBe(kase.trackingToken);
		expect(kase.respondentToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
		const respondentView = await getTrackedCase(app.db, kase.respondentToken);
		expect(respondentView).toMatchObject({ partyName: '王建国', side: 'respondent', agreement: null });
		expect(respondentView.case).toMatchObject({ number: kase.number, status: 'accepted', outcome: null });

		const [accepted] = await app.db.select().from(caseEvents).where(eq(caseEvents.action, 'case.accept'));
		const respondent = (await app.db.select().from(caseParties)).find((p) => p.side === 'respondent')!;
		expect(accepted.data).toMatchObject({ linkedPartyIds: [respondent.id] });

		const seenByParty = await getCase(app.db, network.eastAdmin, kase.caseId);
		expect(seenByParty.parties.every((p) => p.trackingToken !== null)).toBe(true);
		await app.db.update(caseParties).set({ userId: network.partyUser.id }).where(eq(caseParties.side, 'applicant'));
		const partyView = await getCase(app.db, network.partyUser, kase.caseId);
		expect(partyView.parties.map((p) => p.trackingToken)).toEqual([null, null]);
	});

	test('the tracking page shows the meetings held, the sealed agreement and its text, and the outcome', async ({
		app,
		network
	}) => {
		const kase = await acceptedCase(app, network);
		const respondent = (await app.db.select().from(caseParties)).find((p) => p.side === 'respondent')!;
		const scheduled = await scheduleSession(
			app,
			network.eastMediator,
			{
				caseId: kase.caseId,
				kind: 'mediation',
				scheduledFor: new Date(Date.now() + 3_600_000).toISOString().slice(0, 16),
				utcOffset: '0',
				partyIds: [respondent.id],
				mediatorIds: [network.eastMediator.id]
			},
			null
		);
		const room = await participantOf(app.db, scheduled.sessionId, { actor: network.eastMediator });
		await endSession(app, room.session, room.participant, null);
		const sealed = await recordSealedAgreement(app, network.admin, { caseId: kase.caseId });
		await transitionCase(app, network.eastMediator, { caseId: kase.caseId, transition: 'start' }, null);
		await sealFailedRecord(app, network.eastMediator, kase.caseId, { sessionId: scheduled.sessionId });
		for (const change of [{ transition: 'fail', reason: '对赔偿金额分歧过大', referralTarget: 'court' }])
			await transitionCase(app, network.eastMediator, { caseId: kase.caseId, ...change }, null);

		const tracked = await getTrackedCase(app.db, kase.respondentToken);

		expect(await listTrackedSessions(app.db, kase.respondentToken)).toEqual([
			expect.objectContaining({ id: scheduled.sessionId, status: 'ended' })
		]);
		expect(tracked.agreement).toMatchObject({
			text: expect.stringContaining('调解'),
			sealed: { id: sealed.id, sha256: sealed.sha256, pages: sealed.pages }
		});
		expect(tracked.case).toMatchObject({ status: 'failed', outcome: 'failed', referralTarget: 'court' });
	});
});
