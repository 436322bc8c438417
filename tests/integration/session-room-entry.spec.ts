import { and, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { caseEvents, sessionParticipants } from '#server/db/schema.ts';
import { participantOf } from '#server/sessions/participant-of.ts';
import { revokeInvitation } from '#server/sessions/revoke-invitation.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import {
	actionsOf,
	enterRoom,
	HOUR,
	inHours,
	join,
	joinTokenOf,
	participantsOf,
	scheduleMediation,
	test
} from '../support/mediation-case.ts';

describe('participantOf: who is in the room', () => {
	test('each kind of person, and the refusals', async ({ app, network, kase }) => {
		const { sessionId, invitationOf } = await scheduleMediation(app, network, kase);
		const observer = invitationOf('村民代表 赵六');
		const observerToken = joinTokenOf(await join(app, observer, observer.pin));
		const roleOf = async (identity: Parameters<typeof participantOf>[2]) =>
			(await participantOf(app.db, sessionId, identity)).participant;

		// Listed accounts: the scheduler, and the party account through its party row.
		expect(await roleOf({ actor: network.eastMediator })).toMatchObject({
			role: 'mediator',
			userId: network.eastMediator.id
		});
		expect(await roleOf({ actor: network.partyUser })).toMatchObject({
			role: 'party',
			displayName: '李秀英',
			casePartyId: kase.applicant.id
		});
		// An observer by their join.
		expect(await roleOf({ joinToken: observerToken })).toMatchObject({
			id: observer.participantId,
			role: 'observer',
			displayName: '村民代表 赵六',
			userId: null
		});
		// An assigned mediator left off the list is let in, and added to it.
		const added = await roleOf({ actor: network.eastMediator2 });
		expect(added).toMatchObject({ role: 'mediator', userId: network.eastMediator2.id });
		expect((await roleOf({ actor: network.eastMediator2 })).id).toBe(added.id);
		expect((await participantsOf(app, sessionId)).filter((r) => r.role === 'mediator')).toHaveLength(2);

		// The expert may see the case but is not on this session's list.
		await expectAppError(roleOf({ actor: network.expert }), 'FORBIDDEN');
		// The town's mediators may see the case but are not assigned to it.
		await expectAppError(roleOf({ actor: network.townMediator }), 'FORBIDDEN');
		await expectAppError(roleOf({ actor: network.admin }), 'FORBIDDEN');
		// Those who may not see the case learn nothing of it.
		await expectAppError(roleOf({ actor: network.westMediator }), 'NOT_FOUND');
		await expectAppError(roleOf({ actor: network.gridWorker2 }), 'NOT_FOUND');
		await expectAppError(participantOf(app.db, 'not-a-uuid', { actor: network.eastMediator }), 'NOT_FOUND');
		await expectAppError(
			participantOf(app.db, '00000000-0000-4000-8000-000000000000', { actor: network.eastMediator }),
			'NOT_FOUND'
		);

		// A join works for its own session only.
		const second = await scheduleMediation(app, network, kase, { ...inHours(72) });
		await expectAppError(participantOf(app.db, second.sessionId, { joinToken: observerToken }), 'FORBIDDEN');
		await expectAppError(roleOf({ joinToken: 'x'.repeat(43) }), 'UNAUTHENTICATED');
		await expectAppError(roleOf({ joinToken: '' }), 'UNAUTHENTICATED');
		await revokeInvitation(
			app,
			network.eastMediator,
			{ caseId: kase.caseId, participantId: observer.participantId },
			null
		);
		await expectAppError(roleOf({ joinToken: observerToken }), 'UNAUTHENTICATED');
	});

	test('coming into the room is an account holder’s join, recorded with the address', async ({
		app,
		network,
		kase
	}) => {
		const { sessionId } = await scheduleMediation(app, network, kase);

		const entry = await enterRoom(app, sessionId, { actor: network.partyUser }, CLIENT.ip);

		expect(entry.participant).toMatchObject({ role: 'party', displayName: '李秀英' });
		const last = (await actionsOf(app, kase.caseId)).at(-1)!;
		expect(last).toMatchObject({
			action: 'session.joined',
			actorId: network.partyUser.id,
			ip: CLIENT.ip,
			data: { sessionId, participantId: entry.participant.id, role: 'party', via: 'account' }
		});
		const [row] = await app.db
			.select()
			.from(sessionParticipants)
			.where(eq(sessionParticipants.id, entry.participant.id));
		expect(row.lastJoinedAt).toBeInstanceOf(Date);
		await expectAppError(enterRoom(app, sessionId, { actor: network.expert }, CLIENT.ip), 'FORBIDDEN');
		expect((await actionsOf(app, kase.caseId)).at(-1)!.seq).toBe(last.seq);
		expect((await verifyCaseChain(app.db, kase.caseId)).intact).toBe(true);
	});
});

test('every join is an audit event on the case, in an intact chain', async ({ app, network, kase }) => {
	const { sessionId, invitationOf } = await scheduleMediation(app, network, kase);
	for (const name of ['李秀英', '王建国', '村民代表 赵六']) {
		const invitation = invitationOf(name);
		await join(app, invitation, invitation.pin);
	}
	// Later, in the room: 李秀英 by her account this time, a visit of its own.
	await enterRoom(app, sessionId, { actor: network.eastMediator }, CLIENT.ip, new Date(Date.now() + HOUR));
	await enterRoom(app, sessionId, { actor: network.partyUser }, CLIENT.ip, new Date(Date.now() + HOUR));

	const joins = await app.db
		.select()
		.from(caseEvents)
		.where(and(eq(caseEvents.caseId, kase.caseId), eq(caseEvents.action, 'session.joined')));
	expect(joins.map((e) => [e.actorLabel ?? e.actorId, (e.data as { via: string }).via])).toEqual([
		['李秀英', 'invitation'],
		['王建国', 'invitation'],
		['村民代表 赵六', 'invitation'],
		[network.eastMediator.id, 'account'],
		[network.partyUser.id, 'account']
	]);
	expect(joins.every((e) => e.ip === CLIENT.ip)).toBe(true);
	expect((await verifyCaseChain(app.db, kase.caseId)).intact).toBe(true);
});
