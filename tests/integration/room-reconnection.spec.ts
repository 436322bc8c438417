/**
 * Connections that drop, or come twice, while in the room: nobody is lost, doubled or left
 * behind. Helpers and the world: tests/support/room-peers.ts.
 */

import { describe, expect, vi } from 'vitest';
import { ask } from '../../src/lib/realtime/command-client.ts';
import {
	admit,
	dumpOf,
	enter,
	holdNextCall,
	jointRoom,
	nextFact,
	produce,
	seen,
	sync,
	test
} from '../support/room-peers.ts';
import { codeOf, connected, replyOf, untyped } from '../support/socket-client.ts';

describe('reconnection', () => {
	test('a party whose connection dropped returns to its caucus, once', async ({
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
		const m = await produce(mediator, 'mic');
		await produce(b, 'mic');
		await produce(a, 'mic');
		const { caucusId } = await ask(mediator.socket, 'room:openCaucus', { memberIds: [a.id] });

		const left = nextFact(mediator.socket, 'room:peerLeft', (fact) => fact.peerId === a.id);
		a.socket.disconnect();
		expect(await left).toEqual({ peerId: a.id, reason: 'left' });
		expect((await dumpOf(app, sessionId)).peers.map((p) => p.id)).not.toContain(a.id);

		const rejoined = nextFact(mediator.socket, 'room:peerJoined', (peer) => peer.id === a.id);
		const again = await enter(connect, session.applicant.cookie, sessionId);

		expect(again.snapshot.self).toEqual({ ...a.snapshot.self, space: caucusId });
		// Back in the caucus: the mediator's media, not B's; its own old producer is gone.
		expect(again.snapshot.producers.map((p) => p.id)).toEqual([m.mic]);
		expect(await rejoined).toMatchObject({ id: a.id, space: caucusId });
		const dump = await dumpOf(app, sessionId);
		expect(dump.peers.filter((p) => p.id === a.id)).toEqual([
			expect.objectContaining({ space: caucusId, transports: [], producers: [] })
		]);
		expect(dump.peers).toHaveLength(3);
		expect(dump.caucuses).toEqual([caucusId]);
		await sync(b);
		expect(seen(b, 'room:peerJoined').filter((p) => p.id === a.id)).toEqual([
			expect.objectContaining({ space: caucusId })
		]);
	});

	test('a second connection of the same participant replaces the first, which is told so', async ({
		app,
		session,
		mediatorCookie,
		connect
	}) => {
		const { sessionId } = session;
		// The mediator alone in the room opens it in a second tab.
		const first = await enter(connect, mediatorCookie, sessionId);
		const replaced = nextFact(first.socket, 'room:exit');
		const second = await enter(connect, mediatorCookie, sessionId);
		expect(await replaced).toEqual({ reason: 'replaced' });
		expect(second.snapshot.self).toEqual(first.snapshot.self);
		expect(codeOf(await replyOf(ask(first.socket, 'room:chat', { body: '旧窗口' })))).toBe('CONFLICT');

		// The new connection is the one told what happens in the room, and acts for the mediator.
		const arrived = nextFact(second.socket, 'room:peerJoined', (peer) => peer.role === 'party');
		const a = await enter(connect, session.applicant.cookie, sessionId);
		expect(await arrived).toMatchObject({ id: a.id, space: 'lobby' });
		await admit(second, a);

		// A party's second connection, too: it keeps the place in the joint space.
		const partyReplaced = nextFact(a.socket, 'room:exit');
		const arrivedAgain = nextFact(second.socket, 'room:peerJoined', (peer) => peer.id === a.id);
		const a2 = await enter(connect, session.applicant.cookie, sessionId);
		expect(await partyReplaced).toEqual({ reason: 'replaced' });
		expect(a2.snapshot.self).toMatchObject({ id: a.id, space: 'joint' });
		expect(await arrivedAgain).toMatchObject({ id: a.id, space: 'joint' });

		// The old connections going away take nobody with them.
		const connections = app.realtime.status().connections;
		first.socket.disconnect();
		a.socket.disconnect();
		await vi.waitFor(() => expect(app.realtime.status().connections).toBe(connections - 2));
		await sync(second, a2);
		expect(seen(second, 'room:peerLeft')).toEqual([]);
		const dump = await dumpOf(app, sessionId);
		expect(dump.peers.map((p) => [p.id, p.space]).sort()).toEqual(
			[
				[second.id, 'joint'],
				[a.id, 'joint']
			].sort()
		);
		expect(await ask(a2.socket, 'room:chat', { body: '换了个手机' })).toMatchObject({ peerId: a.id });
	});

	test('a connection that goes away while its join is under way leaves no ghost behind', async ({
		app,
		session,
		mediatorCookie,
		connect
	}) => {
		const { sessionId } = session;
		const mediator = await enter(connect, mediatorCookie, sessionId);
		const room = await app.rooms.open(sessionId);
		const socket = connect({ cookie: session.applicant.cookie });
		await connected(socket);
		// The join is held once checked against the database, as a slow database or room start would hold it.
		const opening = holdNextCall(app.rooms, 'open');

		untyped(socket).emit('room:join', { sessionId }, () => {});
		await opening.reached;
		socket.disconnect();
		await vi.waitFor(() => expect(app.realtime.status().connections).toBe(1));
		opening.release();
		await opening.spy.mock.results[0].value;
		opening.spy.mockRestore();
		await sync(mediator);

		// Nobody is left in the room for a connection that is gone, and the others were not told of one.
		expect(room.dump().peers.map((p) => p.id)).toEqual([mediator.id]);
		expect(seen(mediator, 'room:peerJoined')).toEqual([]);
	});
});
