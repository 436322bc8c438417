/**
 * Malformed and out-of-turn room commands: a clear refusal, and the connection keeps working.
 * Helpers and the world: tests/support/room-peers.ts.
 */
import { randomUUID } from 'node:crypto';

import { describe, expect } from 'vitest';
import type { CommandName } from '#shared/realtime-events.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import {
	capabilitiesOf,
	dumpOf,
	peerIn,
	produce,
	rtpParameters,
	sorted,
	test,
	transports,
	type Peer
} from '../support/room-peers.ts';
import { askRaw, codeOf, connected, replyOf, untyped } from '../support/socket-client.ts';

describe('bad commands', () => {
	test('malformed or out-of-turn commands get VALIDATION or CONFLICT replies, and the connection keeps working', async ({
		app,
		session,
		mediatorCookie,
		connect
	}) => {
		const { sessionId } = session;
		const socket = connect({ cookie: mediatorCookie });
		await connected(socket);

		// Before room:join, every other room command is out of turn.
		const early: [CommandName, object][] = [
			['room:leave', {}],
			['room:admit', { peerId: session.applicant.participantId }],
			['room:createTransport', { direction: 'send' }],
			['room:consume', { producerId: randomUUID(), rtpCapabilities: {} }],
			['room:chat', { body: '有人吗' }],
			['room:end', {}]
		];
		for (const [event, payload] of early)
			expect(codeOf(await replyOf(ask(socket, event, payload as never))), event).toBe('CONFLICT');

		const huge = 'x'.repeat(200_000);
		const malformed: [string, unknown[]][] = [
			['room:join', [{}]],
			['room:join', [{ sessionId: 'not-a-uuid' }]],
			['room:join', [{ sessionId, extra: true }]],
			['room:join', ['hello']],
			['room:join', [42]],
			['room:join', [null]],
			['room:join', [[sessionId]]],
			['room:join', [{ sessionId: huge }]],
			['room:join', []],
			['room:join', [{ sessionId }, 'a second argument']],
			['room:chat', [{ body: huge }]],
			['room:chat', [{ body: '   ' }]],
			['room:chat', [{ body: 42 }]],
			['room:admit', [{ peerId: 'x'.repeat(101) }]],
			['room:admit', [{ peerId: ['x'] }]],
			['room:createTransport', [{ direction: 'both' }]],
			['room:produce', [{ transportId: 'x', kind: 'audio', rtpParameters: 'opus', source: 'mic' }]],
			['room:produce', [{ transportId: 'x', kind: 'audio', rtpParameters: {}, source: 'speaker' }]],
			['room:setLayers', [{ consumerId: 'x', spatialLayer: 1.5 }]],
			['room:openCaucus', [{ memberIds: [] }]],
			['room:openCaucus', [{ memberIds: Array(21).fill('x') }]],
			['room:mute', [{ peerId: 'x', source: 'speaker' }]],
			['room:end', [{ now: true }]]
		];
		for (const [event, args] of malformed) {
			const reply = await askRaw(socket, event, ...args);
			expect(reply, `${event} ${JSON.stringify(args).slice(0, 60)}`).toMatchObject({
				ok: false,
				error: { code: 'VALIDATION' }
			});
		}
		// Without an acknowledgement there is no one to reply to: nothing is done.
		untyped(socket).emit('room:join', { sessionId });
		untyped(socket).emit('room:join', 'garbage');
		expect(codeOf(await replyOf(ask(socket, 'room:chat', { body: '有人吗' })))).toBe('CONFLICT');

		// A valid join still works, and then what mediasoup or the room refuses is VALIDATION too.
		const mediator: Peer = { socket, id: '', snapshot: await ask(socket, 'room:join', { sessionId }), facts: [] };
		mediator.id = mediator.snapshot.self.id;
		await transports(mediator);
		const { mic } = await produce(mediator, 'mic');
		// One transport per direction.
		expect(codeOf(await replyOf(ask(socket, 'room:createTransport', { direction: 'send' })))).toBe('CONFLICT');
		const refused: [CommandName, object][] = [
			[
				'room:produce',
				{ transportId: mediator.send, kind: 'video', rtpParameters: rtpParameters('mic'), source: 'mic' }
			],
			['room:produce', { transportId: mediator.send, kind: 'video', rtpParameters: {}, source: 'camera' }],
			[
				'room:produce',
				{ transportId: mediator.send, kind: 'video', rtpParameters: { codecs: 'VP8', encodings: 3 }, source: 'camera' }
			],
			[
				'room:produce',
				{ transportId: mediator.recv, kind: 'video', rtpParameters: rtpParameters('camera'), source: 'camera' }
			],
			['room:connectTransport', { transportId: mediator.send, dtlsParameters: { role: 'server', fingerprints: 'AB' } }],
			['room:connectTransport', { transportId: mediator.recv, dtlsParameters: {} }],
			['room:consume', { producerId: mic, rtpCapabilities: capabilitiesOf(mediator) }],
			['room:openCaucus', { memberIds: [mediator.id] }],
			['room:remove', { peerId: mediator.id }]
		];
		for (const [event, payload] of refused) {
			const code = codeOf(await replyOf(ask(socket, event, payload as never)));
			expect(code, `${event} ${JSON.stringify(payload).slice(0, 80)}`).toBe('VALIDATION');
		}

		expect(socket.connected).toBe(true);
		expect(await ask(socket, 'room:chat', { body: '还在' })).toMatchObject({ peerId: mediator.id, space: 'joint' });
		const dump = await dumpOf(app, sessionId);
		expect(dump.peers).toEqual([
			expect.objectContaining({ id: mediator.id, space: 'joint', producers: [expect.objectContaining({ id: mic })] })
		]);
		expect(peerIn(dump, mediator.id).transports.sort()).toEqual(sorted(mediator.send, mediator.recv));
	});
});
