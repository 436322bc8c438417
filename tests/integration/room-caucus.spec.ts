/**
 * Spaces of the room: a caucus takes its media and chat away from those left out, and chat is kept
 * by space. Helpers and the world: tests/support/room-peers.ts.
 */
import { asc, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { sessionMessages } from '#server/db/schema.ts';
import type { MediaSource } from '#shared/realtime-events.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import {
	consume,
	consumeCode,
	consumedBy,
	dumpOf,
	jointRoom,
	nextFact,
	produce,
	seen,
	sync,
	test,
	type Peer
} from '../support/room-peers.ts';
import { codeOf, connected, replyOf } from '../support/socket-client.ts';

describe('caucus', () => {
	test('a caucus takes its media and chat away from the party left out, until it closes', async ({
		app,
		session,
		mediatorCookie,
		connect
	}) => {
		const { sessionId } = session;
		const [mediator, a, b] = await jointRoom(connect, mediatorCookie, sessionId, [
			session.applicant,
			session.respondent
		]);
		const media = new Map<Peer, Partial<Record<MediaSource, string>>>();
		for (const peer of [mediator, a, b]) media.set(peer, await produce(peer, 'mic', 'camera'));
		const producersOf = (...peers: Peer[]) => peers.flatMap((peer) => Object.values(media.get(peer)!));
		// Everyone consumes everyone else.
		const consumerIds = new Map<string, string>();
		for (const peer of [mediator, a, b]) {
			for (const producerId of producersOf(...[mediator, a, b].filter((p) => p !== peer))) {
				consumerIds.set(`${peer.id}/${producerId}`, (await consume(peer, producerId)).id);
			}
		}
		const since = b.facts.length;

		const { caucusId } = await ask(mediator.socket, 'room:openCaucus', { memberIds: [a.id] });

		await sync(a, b);
		const inCaucus = seen(a, 'room:peerMoved').find((move) => move.peerId === a.id && move.space === caucusId);
		expect(inCaucus).toMatchObject({ peerId: a.id, from: 'joint', space: caucusId });
		// From the caucus, A sees only the mediator's media.
		expect(inCaucus!.snapshot!.producers.map((p) => p.id).sort()).toEqual(producersOf(mediator).sort());
		// B lost every consumer of the caucus's producers, and was told so about each.
		const lost = producersOf(mediator, a);
		expect(
			seen(b, 'room:consumerClosed', since)
				.map((c) => [c.producerId, c.consumerId])
				.sort()
		).toEqual(lost.map((id) => [id, consumerIds.get(`${b.id}/${id}`)]).sort());
		expect(
			seen(b, 'room:producerClosed', since)
				.map((p) => [p.producerId, p.reason])
				.sort()
		).toEqual(lost.map((id) => [id, 'moved']).sort());
		expect(seen(b, 'room:newProducer', since)).toEqual([]);
		for (const producerId of lost) expect(await consumeCode(b, producerId)).toBe('FORBIDDEN');
		const dump = await dumpOf(app, sessionId);
		expect(dump.caucuses).toEqual([caucusId]);
		expect(consumedBy(dump, b.id)).toEqual([]);
		expect(consumedBy(dump, a.id)).toEqual(producersOf(mediator).sort());
		expect(consumedBy(dump, mediator.id)).toEqual(producersOf(a).sort());

		// Chat in the caucus reaches the mediator, not B; chat in the joint space does not reach the caucus.
		const heard = nextFact(mediator.socket, 'room:chat');
		const said = await ask(a.socket, 'room:chat', { body: '私下说，我可以让一步。' });
		expect(said).toMatchObject({ space: caucusId, peerId: a.id });
		expect(await heard).toEqual(said);
		expect(await ask(b.socket, 'room:chat', { body: '他们去哪了？' })).toMatchObject({ space: 'joint' });
		await sync(mediator, a, b);
		expect(seen(b, 'room:chat')).toEqual([]);
		expect(seen(a, 'room:chat')).toEqual([]);
		expect(seen(mediator, 'room:chat')).toEqual([said]);

		// Closing the caucus brings everyone back, and B is offered the media again.
		const back = b.facts.length;
		await ask(mediator.socket, 'room:closeCaucus', { caucusId });
		await sync(b);
		expect(
			seen(b, 'room:newProducer', back)
				.map((p) => p.id)
				.sort()
		).toEqual(lost.sort());
		expect((await dumpOf(app, sessionId)).peers.map((p) => [p.id, p.space]).sort()).toEqual(
			[mediator.id, a.id, b.id].map((id) => [id, 'joint']).sort()
		);
		await consume(b, media.get(a)!.mic!);
		expect(consumedBy(await dumpOf(app, sessionId), b.id)).toEqual([media.get(a)!.mic]);
		expect(codeOf(await replyOf(ask(mediator.socket, 'room:closeCaucus', { caucusId })))).toBe('NOT_FOUND');
	});
});

describe('chat', () => {
	test('chat is stored with its space, and whoever returns gets the history of their own space', async ({
		app,
		session,
		mediatorCookie,
		connect
	}) => {
		const { sessionId } = session;
		const [mediator, a, b] = await jointRoom(connect, mediatorCookie, sessionId, [
			session.applicant,
			session.respondent
		]);
		const opening = await ask(mediator.socket, 'room:chat', { body: '各位好，我们开始调解。' });
		const reply = await ask(a.socket, 'room:chat', { body: '  好的。  ' });
		const { caucusId } = await ask(mediator.socket, 'room:openCaucus', { memberIds: [a.id] });
		const secret = await ask(a.socket, 'room:chat', { body: '其实我最多能接受八百元。' });

		expect(reply.body).toBe('好的。');
		const stored = await app.db
			.select()
			.from(sessionMessages)
			.where(eq(sessionMessages.sessionId, sessionId))
			.orderBy(asc(sessionMessages.createdAt));
		expect(stored.map(({ id, participantId, space, body }) => ({ id, participantId, space, body }))).toEqual([
			{ id: opening.id, participantId: mediator.id, space: 'joint', body: opening.body },
			{ id: reply.id, participantId: a.id, space: 'joint', body: '好的。' },
			{ id: secret.id, participantId: a.id, space: caucusId, body: secret.body }
		]);
		// The sender has it in the reply, the others as a fact.
		await sync(mediator, a, b);
		expect(seen(a, 'room:chat')).toEqual([opening]);
		expect(seen(b, 'room:chat')).toEqual([opening, reply]);
		expect(seen(mediator, 'room:chat')).toEqual([reply, secret]);

		// B comes back to the joint space, and gets its chat only.
		const bLeft = nextFact(mediator.socket, 'room:peerLeft', (fact) => fact.peerId === b.id);
		b.socket.disconnect();
		await bLeft;
		const bAgain = connect({ cookie: session.respondent.cookie });
		const bHistory = nextFact(bAgain, 'room:chatHistory');
		await connected(bAgain);
		expect((await ask(bAgain, 'room:join', { sessionId })).self.space).toBe('joint');
		expect(await bHistory).toEqual({ space: 'joint', messages: [opening, reply], more: false });

		// A comes back to the caucus, and gets the caucus's chat only.
		const aLeft = nextFact(mediator.socket, 'room:peerLeft', (fact) => fact.peerId === a.id);
		a.socket.disconnect();
		await aLeft;
		const aAgain = connect({ cookie: session.applicant.cookie });
		const aHistory = nextFact(aAgain, 'room:chatHistory');
		await connected(aAgain);
		expect((await ask(aAgain, 'room:join', { sessionId })).self.space).toBe(caucusId);
		expect(await aHistory).toEqual({ space: caucusId, messages: [secret], more: false });
	});
});
