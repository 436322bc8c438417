/**
 * Joining a session's room over its socket: who may, what a mediator's arrival does to the case, and
 * how rooms of the same case stay apart. Helpers and the world: tests/support/room-peers.ts.
 */
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, vi } from 'vitest';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import { caseEvents, cases, mediationSessions, sessionMessages, sessionParticipants } from '#server/db/schema.ts';
import { acceptConsultation } from '#server/sessions/accept-consultation.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import type { ErrorCode } from '#shared/errors.ts';
import type { CommandName, RoomSnapshot } from '#shared/realtime-events.ts';
import type { Actor } from '#shared/roles.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { accountCookie } from '../support/invited-guests.ts';
import {
	capabilitiesOf,
	consume,
	DTLS,
	dumpOf,
	enter,
	holdNextCall,
	jointRoom,
	produce,
	rtpParameters,
	scheduleMediation,
	seen,
	sync,
	test,
	transports
} from '../support/room-peers.ts';
import { codeOf, connected, replyOf, untyped } from '../support/socket-client.ts';

describe('joining', () => {
	test('someone not on the session cannot join it, and the room does not notice', async ({
		app,
		network,
		caseId,
		session,
		mediatorCookie,
		connect
	}) => {
		const mediator = await enter(connect, mediatorCookie, session.sessionId);
		const waiting = await enter(connect, session.applicant.cookie, session.sessionId);
		const other = await scheduleMediation(app, network, caseId);
		const participants = () =>
			app.db.select().from(sessionParticipants).where(eq(sessionParticipants.sessionId, session.sessionId));
		const listed = await participants();
		const before = await dumpOf(app, session.sessionId);

		// A mediator of the same committee sees the case but is not on the session; the others do not even see it.
		const outsiders: [Actor, ErrorCode][] = [
			[network.eastMediator2, 'FORBIDDEN'],
			[network.townMediator, 'FORBIDDEN'],
			[network.westMediator, 'NOT_FOUND'],
			[network.gridWorker, 'NOT_FOUND'],
			[network.partyUser, 'NOT_FOUND']
		];
		for (const [actor, code] of outsiders) {
			const socket = connect({ cookie: await accountCookie(app, actor) });
			await connected(socket);
			expect(codeOf(await replyOf(ask(socket, 'room:join', { sessionId: session.sessionId }))), actor.username).toBe(
				code
			);
			// Not in any room: every other room command is out of turn.
			expect(codeOf(await replyOf(ask(socket, 'room:chat', { body: '你好' })))).toBe('CONFLICT');
		}
		// An invitation admits to its own session only, even of the same case and party.
		const guest = connect({ cookie: other.applicant.cookie });
		await connected(guest);
		expect(codeOf(await replyOf(ask(guest, 'room:join', { sessionId: session.sessionId })))).toBe('FORBIDDEN');
		expect(codeOf(await replyOf(ask(guest, 'room:join', { sessionId: randomUUID() })))).toBe('NOT_FOUND');
		expect(codeOf(await replyOf(ask(guest, 'room:createTransport', { direction: 'recv' })))).toBe('CONFLICT');

		await sync(mediator, waiting);
		// The mediator saw one arrival only: the applicant's, in the lobby; the lobby sees no one's.
		expect(seen(mediator, 'room:peerJoined')).toEqual([waiting.snapshot.self]);
		expect(seen(waiting, 'room:peerJoined')).toEqual([]);
		expect(await dumpOf(app, session.sessionId)).toEqual(before);
		expect(await participants()).toEqual(listed);
	});

	test('what happens while a join is answered reaches the joiner after its snapshot, never before it', async ({
		app,
		session,
		mediatorCookie,
		connect
	}) => {
		const { sessionId } = session;
		// The mediator's join is held where it waits for its place to be kept, as a busy database would hold it.
		const keeping = holdNextCall(app.rooms, 'kept');
		const socket = connect({ cookie: mediatorCookie });
		const arrived: string[] = [];
		socket.onAny((event: string) => arrived.push(event));
		await connected(socket);
		const { promise: answered, resolve: onAnswer } = Promise.withResolvers<RoomSnapshot>();
		untyped(socket).emit('room:join', { sessionId }, (reply: { data: RoomSnapshot }) => {
			arrived.push('reply');
			onAnswer(reply.data);
		});
		await keeping.reached;

		// Meanwhile the applicant arrives in the lobby, which the mediator is told of.
		const applicant = await enter(connect, session.applicant.cookie, sessionId);
		keeping.release();
		const snapshot = await answered;
		await sync(socket);
		keeping.spy.mockRestore();

		// The snapshot was taken before the applicant came; the fact that says so follows it, so the
		// mediator's page, which takes the snapshot whole, still learns of them.
		expect(snapshot.peers.map((peer) => peer.id)).toEqual([snapshot.self.id]);
		expect(arrived.filter((event) => event !== 'room:chatHistory')).toEqual(['reply', 'room:peerJoined']);
		expect((await dumpOf(app, sessionId)).peers.map((peer) => peer.id).sort()).toEqual(
			[snapshot.self.id, applicant.id].sort()
		);
	});
});

describe('case status', () => {
	test('a mediation going live puts its case in mediation, credited to the mediator who opened it', async ({
		app,
		network,
		caseId,
		session,
		mediatorCookie,
		connect
	}) => {
		const statusOf = async () => (await app.db.select().from(cases).where(eq(cases.id, caseId)))[0].status;
		const events = () =>
			app.db
				.select({ action: caseEvents.action, actorId: caseEvents.actorId, data: caseEvents.data })
				.from(caseEvents)
				.where(eq(caseEvents.caseId, caseId))
				.orderBy(asc(caseEvents.seq));
		expect(await statusOf()).toBe('scheduled');
		// A party waiting in the lobby starts nothing, and a consultation going live changes nothing in the case.
		await enter(connect, session.applicant.cookie, session.sessionId);
		await inviteExpert(app, network.eastMediator, { caseId, expertId: network.expert.id }, null);
		const tomorrow = new Date(Date.now() + 24 * 3_600_000).toISOString().slice(0, 16);
		const consultation = await scheduleSession(
			app,
			network.eastMediator,
			{ caseId, kind: 'consultation', scheduledFor: tomorrow, utcOffset: '0', expertIds: [network.expert.id] },
			null
		);
		await acceptConsultation(app, network.expert, { caseId, sessionId: consultation.sessionId }, null);
		await enter(connect, await accountCookie(app, network.expert), consultation.sessionId);
		const [live] = await app.db
			.select()
			.from(mediationSessions)
			.where(eq(mediationSessions.id, consultation.sessionId));
		expect(live.status).toBe('live');
		expect(await statusOf()).toBe('scheduled');

		const mediator = await enter(connect, mediatorCookie, session.sessionId);
		expect(await statusOf()).toBe('in_mediation');
		// Then the mediator's entry is recorded as a join of the session.
		expect((await events()).slice(-3)).toEqual([
			{
				action: 'session.started',
				actorId: network.eastMediator.id,
				data: { sessionId: session.sessionId, participantId: mediator.id }
			},
			{ action: 'case.start', actorId: network.eastMediator.id, data: { from: 'scheduled', to: 'in_mediation' } },
			{
				action: 'session.joined',
				actorId: network.eastMediator.id,
				data: { sessionId: session.sessionId, participantId: mediator.id, role: 'mediator', via: 'account' }
			}
		]);

		// Coming back to the live session starts nothing again.
		const count = (await events()).length;
		await ask(mediator.socket, 'room:leave', {});
		await enter(connect, mediatorCookie, session.sessionId);
		expect(await events()).toHaveLength(count);
		expect(await statusOf()).toBe('in_mediation');
	});
});

describe('rooms apart', () => {
	test("a peer cannot touch another room's transports, producers, consumers or peers", async ({
		app,
		network,
		caseId,
		session,
		mediatorCookie,
		connect
	}) => {
		// Room A: the mediator and the applicant in the joint space, with transports.
		const [mediatorA, applicantA] = await jointRoom(connect, mediatorCookie, session.sessionId, [session.applicant]);
		await produce(mediatorA, 'mic');
		await produce(applicantA, 'mic');
		// Room B, another session of the same case: the same mediator account, and the respondent consuming.
		const other = await scheduleMediation(app, network, caseId);
		const [mediatorB, respondentB] = await jointRoom(connect, mediatorCookie, other.sessionId, [other.respondent]);
		const b = await produce(mediatorB, 'mic', 'camera');
		await transports(respondentB);
		const consumerB = await consume(respondentB, b.camera!);
		const before = await dumpOf(app, other.sessionId);
		const factsBefore = [mediatorB.facts.length, respondentB.facts.length];

		// The party, and the mediator, who is on both sessions under one account but another peer in each.
		for (const intruder of [applicantA, mediatorA]) {
			const who = intruder === mediatorA ? 'mediator' : 'party';
			const tries: [CommandName, object][] = [
				['room:connectTransport', { transportId: respondentB.recv, dtlsParameters: DTLS }],
				['room:connectTransport', { transportId: mediatorB.send, dtlsParameters: DTLS }],
				['room:restartIce', { transportId: mediatorB.send }],
				[
					'room:produce',
					{ transportId: mediatorB.send, kind: 'video', rtpParameters: rtpParameters('screen'), source: 'screen' }
				],
				['room:consume', { producerId: b.camera, rtpCapabilities: capabilitiesOf(intruder) }],
				['room:resumeConsumer', { consumerId: consumerB.id }],
				['room:setLayers', { consumerId: consumerB.id, spatialLayer: 0 }],
				['room:pauseProducer', { producerId: b.mic }],
				['room:closeProducer', { producerId: b.mic }],
				['room:closeProducer', { producerId: b.camera }]
			];
			for (const [event, payload] of tries) {
				expect(codeOf(await replyOf(ask(intruder.socket, event, payload as never))), `${who} ${event}`).toBe(
					'NOT_FOUND'
				);
			}
		}
		// Room B's peers are no one the mediator of room A can act on.
		expect(codeOf(await replyOf(ask(mediatorA.socket, 'room:remove', { peerId: respondentB.id })))).toBe('NOT_FOUND');
		expect(codeOf(await replyOf(ask(mediatorA.socket, 'room:mute', { peerId: mediatorB.id, source: 'mic' })))).toBe(
			'NOT_FOUND'
		);
		expect(codeOf(await replyOf(ask(mediatorA.socket, 'room:sendToLobby', { peerId: respondentB.id })))).toBe(
			'NOT_FOUND'
		);

		expect(await dumpOf(app, other.sessionId)).toEqual(before);
		await sync(mediatorB, respondentB);
		expect(mediatorB.facts.slice(factsBefore[0])).toEqual([]);
		expect(respondentB.facts.slice(factsBefore[1])).toEqual([]);
		// Still theirs to use.
		expect(codeOf(await replyOf(ask(respondentB.socket, 'room:resumeConsumer', { consumerId: consumerB.id })))).toBe(
			'ok'
		);
	});

	test('a connection that joins two rooms at once ends up in one of them only', async ({
		app,
		network,
		caseId,
		session,
		mediatorCookie,
		connect
	}) => {
		const other = await scheduleMediation(app, network, caseId);
		const socket = connect({ cookie: mediatorCookie });
		await connected(socket);

		// The same account is the mediator of both sessions: both joins are allowed, and race.
		const replies = await Promise.all(
			[session, other].map(({ sessionId }) => replyOf(ask(socket, 'room:join', { sessionId })))
		);
		expect(replies).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
		const rooms = await Promise.all([session, other].map(({ sessionId }) => app.rooms.open(sessionId)));
		const occupied = rooms.filter((room) => !room.empty);
		expect(occupied).toHaveLength(1);
		expect(occupied[0].dump().peers).toHaveLength(1);
		// The connection acts in the room it is in.
		const said = await ask(socket, 'room:chat', { body: '我在哪个房间？' });
		const [stored] = await app.db.select().from(sessionMessages).where(eq(sessionMessages.id, said.id));
		expect(stored.sessionId).toBe(occupied[0].id);

		socket.disconnect();
		await vi.waitFor(() => expect(rooms.every((room) => room.empty)).toBe(true));
	});
});
