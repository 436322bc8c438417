/**
 * The room's lobby and its host: admitting, refusing, removing, sending back, and ending the
 * session. Helpers and the world: tests/support/room-peers.ts.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import { caseParties, mediationSessions } from '#server/db/schema.ts';
import { acceptConsultation } from '#server/sessions/accept-consultation.ts';
import { requestConsultation } from '#server/sessions/request-consultation.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { accountCookie } from '../support/invited-guests.ts';
import {
	admit,
	consume,
	consumeCode,
	consumedBy,
	dumpOf,
	enter,
	jointRoom,
	kindOf,
	nextFact,
	peerIn,
	produce,
	rtpParameters,
	seen,
	sorted,
	sync,
	test,
	transports
} from '../support/room-peers.ts';
import { codeOf, connected, replyOf } from '../support/socket-client.ts';

describe('lobby', () => {
	test('the host admits everyone waiting at once; a party cannot, and an empty lobby is nothing to do', async ({
		session,
		mediatorCookie,
		connect
	}) => {
		const mediator = await enter(connect, mediatorCookie, session.sessionId);
		const applicant = await enter(connect, session.applicant.cookie, session.sessionId);
		const respondent = await enter(connect, session.respondent.cookie, session.sessionId);
		expect(codeOf(await replyOf(ask(applicant.socket, 'room:admitAll', {})))).toBe('FORBIDDEN');
		expect(codeOf(await replyOf(ask(mediator.socket, 'room:admitAll', { peerId: applicant.id } as never)))).toBe(
			'VALIDATION'
		);
		await sync(applicant, respondent);
		expect([...seen(applicant, 'room:peerMoved'), ...seen(respondent, 'room:peerMoved')]).toEqual([]);

		const moved = [applicant, respondent].map((peer) =>
			nextFact(peer.socket, 'room:peerMoved', (move) => move.peerId === peer.id)
		);
		expect(await ask(mediator.socket, 'room:admitAll', {})).toEqual({});
		for (const [i, peer] of [applicant, respondent].entries()) {
			expect(await moved[i]).toMatchObject({ peerId: peer.id, from: 'lobby', space: 'joint' });
		}
		await sync(mediator);
		expect(seen(mediator, 'room:peerMoved').map((move) => [move.peerId, move.space])).toEqual([
			[applicant.id, 'joint'],
			[respondent.id, 'joint']
		]);

		const facts = mediator.facts.length;
		expect(await ask(mediator.socket, 'room:admitAll', {})).toEqual({});
		await sync(mediator, applicant, respondent);
		expect(seen(mediator, 'room:peerMoved', facts)).toEqual([]);
	});

	test('a party in the lobby gets no media and no chat until admitted, then consumes the joint space; sent back, nothing', async ({
		app,
		session,
		mediatorCookie,
		connect
	}) => {
		const mediator = await enter(connect, mediatorCookie, session.sessionId);
		expect(mediator.snapshot.self.space).toBe('joint');
		const waiting = await enter(connect, session.applicant.cookie, session.sessionId);
		expect(waiting.snapshot).toMatchObject({
			self: { id: session.applicant.participantId, role: 'party', space: 'lobby' },
			peers: [{ id: waiting.id }],
			producers: []
		});

		// The mediator produces and speaks while the party waits.
		const m = await produce(mediator, 'mic', 'camera');
		const welcome = await ask(mediator.socket, 'room:chat', { body: '请稍候，马上开始。' });

		for (const direction of ['send', 'recv'] as const) {
			expect(codeOf(await replyOf(ask(waiting.socket, 'room:createTransport', { direction })))).toBe('FORBIDDEN');
		}
		expect(await consumeCode(waiting, m.mic!)).toBe('FORBIDDEN');
		const fromLobby = {
			transportId: mediator.send!,
			kind: 'audio',
			rtpParameters: rtpParameters('mic'),
			source: 'mic'
		};
		expect(codeOf(await replyOf(ask(waiting.socket, 'room:produce', fromLobby as never)))).toBe('FORBIDDEN');
		expect(codeOf(await replyOf(ask(waiting.socket, 'room:chat', { body: '我到了' })))).toBe('FORBIDDEN');
		await sync(waiting);
		expect(seen(waiting, 'room:newProducer')).toEqual([]);
		expect(seen(waiting, 'room:chat')).toEqual([]);
		expect(seen(waiting, 'room:chatHistory')).toEqual([{ space: 'lobby', messages: [], more: false }]);
		expect(peerIn(await dumpOf(app, session.sessionId), waiting.id)).toMatchObject({
			space: 'lobby',
			transports: [],
			producers: [],
			consumers: []
		});

		const history = nextFact(waiting.socket, 'room:chatHistory', (fact) => fact.space === 'joint');
		const [moved] = await admit(mediator, waiting);

		expect(moved).toMatchObject({ peerId: waiting.id, from: 'lobby', space: 'joint' });
		expect(moved.snapshot?.self.space).toBe('joint');
		expect(moved.snapshot?.peers.map((p) => p.id).sort()).toEqual(sorted(mediator.id, waiting.id));
		expect(moved.snapshot?.producers.map((p) => [p.peerId, p.id]).sort()).toEqual(
			[
				[mediator.id, m.mic],
				[mediator.id, m.camera]
			].sort()
		);
		expect((await history).messages).toEqual([welcome]);
		await transports(waiting);
		for (const source of ['mic', 'camera'] as const) {
			const consumer = await consume(waiting, m[source]!);
			expect(consumer).toMatchObject({ producerId: m[source], peerId: mediator.id, source, kind: kindOf(source) });
			expect(codeOf(await replyOf(ask(waiting.socket, 'room:resumeConsumer', { consumerId: consumer.id })))).toBe('ok');
		}
		expect(consumedBy(await dumpOf(app, session.sessionId), waiting.id)).toEqual(sorted(m.mic, m.camera));

		// Sent back to the lobby, the party holds no media again and may not take any.
		await ask(mediator.socket, 'room:sendToLobby', { peerId: waiting.id });
		expect(peerIn(await dumpOf(app, session.sessionId), waiting.id)).toMatchObject({
			space: 'lobby',
			transports: [],
			producers: [],
			consumers: []
		});
		expect(codeOf(await replyOf(ask(waiting.socket, 'room:createTransport', { direction: 'recv' })))).toBe('FORBIDDEN');
		expect(await consumeCode(waiting, m.camera!)).toBe('FORBIDDEN');
	});

	test('a consultation a party asked for, with no mediator in it, is run by its legal expert', async ({
		app,
		network,
		caseId,
		connect
	}) => {
		await inviteExpert(app, network.eastMediator, { caseId, expertId: network.expert.id }, null);
		await app.db
			.update(caseParties)
			.set({ userId: network.partyUser.id })
			.where(and(eq(caseParties.caseId, caseId), eq(caseParties.side, 'applicant')));
		const tomorrow = new Date(Date.now() + 24 * 3_600_000).toISOString().slice(0, 16);
		const request = {
			caseId,
			expertId: network.expert.id,
			scheduledFor: tomorrow,
			utcOffset: '0',
			agenda: '能否起诉？'
		};
		const { sessionId } = await requestConsultation(app, network.partyUser, request, null);
		await acceptConsultation(app, network.expert, { caseId, sessionId }, null);
		const statusOf = async () =>
			(await app.db.select().from(mediationSessions).where(eq(mediationSessions.id, sessionId)))[0].status;

		const party = await enter(connect, await accountCookie(app, network.partyUser), sessionId);
		expect(party.snapshot.self).toMatchObject({ role: 'party', host: false, space: 'lobby' });
		expect(await statusOf()).toBe('scheduled');
		const expert = await enter(connect, await accountCookie(app, network.expert), sessionId);
		expect(expert.snapshot.self).toMatchObject({ role: 'legal_expert', host: true, space: 'joint' });
		expect(await statusOf()).toBe('live');

		expect(codeOf(await replyOf(ask(party.socket, 'room:admit', { peerId: party.id })))).toBe('FORBIDDEN');
		const [moved] = await admit(expert, party);
		expect(moved).toMatchObject({ peerId: party.id, space: 'joint' });
		expect(codeOf(await replyOf(ask(party.socket, 'room:sendToLobby', { peerId: expert.id })))).toBe('FORBIDDEN');
		// Hosts are never sent to the lobby, by anyone.
		expect(codeOf(await replyOf(ask(expert.socket, 'room:sendToLobby', { peerId: expert.id })))).toBe('FORBIDDEN');
		expect(codeOf(await replyOf(ask(party.socket, 'room:end', {})))).toBe('FORBIDDEN');
		expect(await ask(expert.socket, 'room:end', {})).toEqual({});
		expect(await statusOf()).toBe('ended');
	});
});

describe('refusing and removing', () => {
	test('a refused or removed participant is let go with that reason and cannot come back', async ({
		app,
		session,
		mediatorCookie,
		connect
	}) => {
		const { sessionId } = session;
		const [mediator, a] = await jointRoom(connect, mediatorCookie, sessionId, [session.applicant]);
		const aMic = (await produce(a, 'mic')).mic!;
		await transports(mediator);
		await consume(mediator, aMic);
		const waiting = await enter(connect, session.respondent.cookie, sessionId);

		// Only the mediator refuses, and only someone still waiting.
		expect(codeOf(await replyOf(ask(a.socket, 'room:refuse', { peerId: waiting.id })))).toBe('FORBIDDEN');
		expect(codeOf(await replyOf(ask(a.socket, 'room:remove', { peerId: waiting.id })))).toBe('FORBIDDEN');
		expect(codeOf(await replyOf(ask(mediator.socket, 'room:refuse', { peerId: a.id })))).toBe('CONFLICT');

		const refused = nextFact(waiting.socket, 'room:exit');
		await ask(mediator.socket, 'room:refuse', { peerId: waiting.id });
		expect(await refused).toEqual({ reason: 'refused' });

		const removed = nextFact(a.socket, 'room:exit');
		await ask(mediator.socket, 'room:remove', { peerId: a.id });
		expect(await removed).toEqual({ reason: 'removed' });

		await sync(mediator);
		expect(seen(mediator, 'room:peerLeft')).toEqual([
			{ peerId: waiting.id, reason: 'refused' },
			{ peerId: a.id, reason: 'removed' }
		]);
		// The removed party's media went with it.
		expect(seen(mediator, 'room:producerClosed')).toEqual([{ producerId: aMic, peerId: a.id, reason: 'closed' }]);
		expect(seen(mediator, 'room:consumerClosed')).toEqual([expect.objectContaining({ producerId: aMic })]);
		expect((await dumpOf(app, sessionId)).peers).toEqual([expect.objectContaining({ id: mediator.id, consumers: [] })]);

		// Neither gets back in, on the same connection or a new one.
		for (const [peer, guest] of [
			[waiting, session.respondent],
			[a, session.applicant]
		] as const) {
			expect(codeOf(await replyOf(ask(peer.socket, 'room:chat', { body: '让我进去' })))).toBe('CONFLICT');
			expect(codeOf(await replyOf(ask(peer.socket, 'room:join', { sessionId })))).toBe('FORBIDDEN');
			const socket = connect({ cookie: guest.cookie });
			await connected(socket);
			expect(codeOf(await replyOf(ask(socket, 'room:join', { sessionId })))).toBe('FORBIDDEN');
		}
		expect((await dumpOf(app, sessionId)).peers.map((p) => p.id)).toEqual([mediator.id]);
		// Their attempts were never announced: the only arrivals the mediator saw are the first two.
		await sync(mediator);
		expect(seen(mediator, 'room:peerJoined').map((p) => p.id)).toEqual([a.id, waiting.id]);
	});
});

describe('ending', () => {
	test('only the mediator ends the session: everyone is let go and nobody joins again', async ({
		app,
		session,
		mediatorCookie,
		connect
	}) => {
		const { sessionId } = session;
		const [mediator, a] = await jointRoom(connect, mediatorCookie, sessionId, [session.applicant]);
		await produce(a, 'mic');
		const waiting = await enter(connect, session.respondent.cookie, sessionId);
		const statusOf = async () =>
			(await app.db.select().from(mediationSessions).where(eq(mediationSessions.id, sessionId)))[0].status;
		const room = await app.rooms.open(sessionId);
		expect(await statusOf()).toBe('live');

		expect(codeOf(await replyOf(ask(a.socket, 'room:end', {})))).toBe('FORBIDDEN');
		expect(codeOf(await replyOf(ask(waiting.socket, 'room:end', {})))).toBe('FORBIDDEN');
		expect(await statusOf()).toBe('live');
		expect(room.closed).toBe(false);

		const exits = [mediator, a, waiting].map((peer) => nextFact(peer.socket, 'room:exit'));
		expect(await ask(mediator.socket, 'room:end', {})).toEqual({});

		expect(await Promise.all(exits)).toEqual([{ reason: 'ended' }, { reason: 'ended' }, { reason: 'ended' }]);
		expect(await statusOf()).toBe('ended');
		expect(room.closed).toBe(true);
		// Told once each: not again as a failure when the room closed.
		await sync(mediator, a, waiting);
		for (const peer of [mediator, a, waiting]) expect(seen(peer, 'room:exit')).toEqual([{ reason: 'ended' }]);
		expect(codeOf(await replyOf(ask(a.socket, 'room:chat', { body: '结束了吗' })))).toBe('CONFLICT');
		for (const peer of [mediator, a, waiting]) {
			expect(codeOf(await replyOf(ask(peer.socket, 'room:join', { sessionId })))).toBe('CONFLICT');
		}
		const late = connect({ cookie: mediatorCookie });
		await connected(late);
		expect(codeOf(await replyOf(ask(late, 'room:join', { sessionId })))).toBe('CONFLICT');
	});
});
