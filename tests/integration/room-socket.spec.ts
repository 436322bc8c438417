/**
 * The live room's Socket.io protocol end to end: real sockets, the real server with its mediasoup
 * workers, a real database. Media is produced from hand-written RTP parameters (a send transport
 * produces before any DTLS handshake), which is enough to prove who the server lets consume what.
 * Peer ids are session participant ids; mediators start in the joint space, everyone else in the lobby.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, vi } from 'vitest';
import type { App } from '#server/app.ts';
import { inviteExpert } from '#server/cases/invite-expert.ts';
import {
	caseEvents,
	caseParties,
	cases,
	mediationSessions,
	sessionMessages,
	sessionParticipants
} from '#server/db/schema.ts';
import { acceptConsultation } from '#server/sessions/accept-consultation.ts';
import { requestConsultation } from '#server/sessions/request-consultation.ts';
import { scheduleSession } from '#server/sessions/schedule-session.ts';
import type { ErrorCode, Reply } from '#shared/errors.ts';
import type {
	CommandName,
	CommandPayload,
	CommandResults,
	MediaSource,
	RoomSnapshot,
	ServerToClientEvents
} from '#shared/realtime-events.ts';
import type { Actor } from '#shared/roles.ts';
import { setUpNetwork, type Network } from '../support/case-network.ts';
import { accountCookie, acceptedCase, mediationWithGuests, type Guest } from '../support/invited-guests.ts';
import { connected, socketTest, untyped, type ClientSocket, type Connect } from '../support/socket-client.ts';

type FactName = keyof ServerToClientEvents;
type FactOf<E extends FactName> = Parameters<ServerToClientEvents[E]>[0];
type Mediation = { sessionId: string; applicant: Guest; respondent: Guest };

/** A connection in a room: its socket, its peer id, what it saw on joining, and every fact it received. */
type Peer = {
	socket: ClientSocket;
	id: string;
	snapshot: RoomSnapshot;
	facts: [event: string, payload: unknown][];
	send?: string;
	recv?: string;
};

// ---------------------------------------------------------------------------------------------
// The world: 东村's mediator accepts an online application, and schedules mediations of it.

/** A mediation tomorrow with both parties invited, each joined by link and PIN. */
async function scheduleMediation(app: App, network: Network, caseId: string): Promise<Mediation> {
	const { sessionId, guests } = await mediationWithGuests(app, network, caseId);
	const bySide = (side: Guest['side']) => guests.find((guest) => guest.side === side)!;
	return { sessionId, applicant: bySide('applicant'), respondent: bySide('respondent') };
}

const test = socketTest
	// One worker is plenty for a few rooms, and spares the machine.
	.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>)
	.extend('network', async ({ app }) => setUpNetwork(app))
	.extend('caseId', async ({ app, network }) => acceptedCase(app, network))
	.extend('session', async ({ app, network, caseId }) => scheduleMediation(app, network, caseId))
	.extend('mediatorCookie', async ({ app, network }) => accountCookie(app, network.eastMediator));

// ---------------------------------------------------------------------------------------------
// Talking to the server.

function ask<E extends CommandName>(
	socket: ClientSocket,
	event: E,
	payload: CommandPayload<E>
): Promise<Reply<CommandResults[E]>> {
	return untyped(socket).timeout(10_000).emitWithAck(event, payload);
}

/** Anything at all, as a misbehaving client would send it. */
function askRaw(socket: ClientSocket, event: string, ...args: unknown[]): Promise<Reply<unknown>> {
	return untyped(socket)
		.timeout(10_000)
		.emitWithAck(event, ...args);
}

/** The data of a command that must succeed. */
async function ok<E extends CommandName>(
	socket: ClientSocket,
	event: E,
	payload: CommandPayload<E>
): Promise<CommandResults[E]> {
	const reply = await ask(socket, event, payload);
	if (!reply.ok) throw new Error(`${event} failed: ${JSON.stringify(reply.error)}`);
	return reply.data;
}

/** The error code of a command's reply, or 'ok'. */
async function codeOf<E extends CommandName>(
	socket: ClientSocket,
	event: E,
	payload: CommandPayload<E>
): Promise<ErrorCode | 'ok'> {
	const reply = await ask(socket, event, payload);
	return reply.ok ? 'ok' : reply.error.code;
}

/** The next fact of this kind (that passes `test`), or a rejection after 5 s. */
function nextFact<E extends FactName>(
	socket: ClientSocket,
	event: E,
	test: (fact: FactOf<E>) => boolean = () => true
): Promise<FactOf<E>> {
	const raw = untyped(socket);
	const name: string = event;
	return new Promise((resolve, reject) => {
		const listener = (fact: FactOf<E>) => {
			if (!test(fact)) return;
			clearTimeout(timer);
			raw.off(name, listener);
			resolve(fact);
		};
		const timer = setTimeout(() => {
			raw.off(name, listener);
			reject(new Error(`no ${event} within 5 s`));
		}, 5_000);
		raw.on(name, listener);
	});
}

/**
 * A round trip on this socket. The server emits its facts synchronously with the change that
 * caused them, in order on each connection: once a command that made a change has replied to
 * anyone, a round trip on another socket brings in every fact that change sent that socket.
 */
async function sync(...peers: (Peer | ClientSocket)[]): Promise<void> {
	await Promise.all(peers.map((p) => askRaw('socket' in p ? p.socket : p, 'account:whoami', {})));
}

/** The facts of this kind the peer received so far (from `since` on, an index into its facts). */
function seen<E extends FactName>(peer: Peer, event: E, since = 0): FactOf<E>[] {
	return peer.facts
		.slice(since)
		.filter(([name]) => name === event)
		.map(([, payload]) => payload as FactOf<E>);
}

/** Connects with the cookie, recording every fact from the start, and joins the session's room. */
async function enter(connect: Connect, cookie: string, sessionId: string): Promise<Peer> {
	const socket = connect({ cookie });
	const facts: Peer['facts'] = [];
	socket.onAny((event: string, payload: unknown) => facts.push([event, payload]));
	await connected(socket);
	const snapshot = await ok(socket, 'room:join', { sessionId });
	return { socket, id: snapshot.self.id, snapshot, facts };
}

/** The mediator admits each peer from the lobby; returns the moves as each peer was told them. */
async function admit(mediator: Peer, ...peers: Peer[]): Promise<FactOf<'room:peerMoved'>[]> {
	const moves = [];
	for (const peer of peers) {
		const moved = nextFact(peer.socket, 'room:peerMoved', (move) => move.peerId === peer.id);
		await ok(mediator.socket, 'room:admit', { peerId: peer.id });
		moves.push(await moved);
	}
	return moves;
}

/** The session's mediator and these guests, all in the joint space. */
async function jointRoom(connect: Connect, mediatorCookie: string, sessionId: string, guests: Guest[]) {
	const mediator = await enter(connect, mediatorCookie, sessionId);
	const others = [];
	for (const guest of guests) others.push(await enter(connect, guest.cookie, sessionId));
	await admit(mediator, ...others);
	return [mediator, ...others];
}

// ---------------------------------------------------------------------------------------------
// Media without a browser.

let ssrc = 1000;
const opus = { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 };
const vp8 = {
	mimeType: 'video/VP8',
	payloadType: 101,
	clockRate: 90000,
	rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }]
};

/** What a browser would send: Opus for the microphone, VP8 in three simulcast encodings for camera and screen. */
function rtpParameters(source: MediaSource) {
	if (source === 'mic') {
		return {
			codecs: [{ ...opus, parameters: { useinbandfec: 1, usedtx: 1 } }],
			encodings: [{ ssrc: ssrc++ }],
			rtcp: { cname: source }
		};
	}
	return { codecs: [vp8], encodings: [{ ssrc: ssrc++ }, { ssrc: ssrc++ }, { ssrc: ssrc++ }], rtcp: { cname: source } };
}
const kindOf = (source: MediaSource): 'audio' | 'video' => (source === 'mic' ? 'audio' : 'video');

const DTLS = {
	role: 'client',
	fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }]
};

/** A send and a receive transport for the peer. */
async function transports(peer: Peer): Promise<void> {
	peer.send = (await ok(peer.socket, 'room:createTransport', { direction: 'send' })).id;
	peer.recv = (await ok(peer.socket, 'room:createTransport', { direction: 'recv' })).id;
}

/** Transports, and a producer for each source: their ids by source. */
async function produce(peer: Peer, ...sources: MediaSource[]): Promise<Partial<Record<MediaSource, string>>> {
	if (!peer.send) await transports(peer);
	const ids: Partial<Record<MediaSource, string>> = {};
	for (const source of sources) {
		const payload = { transportId: peer.send!, kind: kindOf(source), rtpParameters: rtpParameters(source), source };
		ids[source] = (await ok(peer.socket, 'room:produce', payload)).id;
	}
	return ids;
}

/** The router's own capabilities, as the snapshot gave them: they can consume anything it routes. */
const capabilitiesOf = (peer: Peer) => peer.snapshot.rtpCapabilities as unknown as Record<string, unknown>;

const consume = (peer: Peer, producerId: string) =>
	ok(peer.socket, 'room:consume', { producerId, rtpCapabilities: capabilitiesOf(peer) });

const consumeCode = (peer: Peer, producerId: string) =>
	codeOf(peer.socket, 'room:consume', { producerId, rtpCapabilities: capabilitiesOf(peer) });

// ---------------------------------------------------------------------------------------------
// The server's own view of the room.

async function dumpOf(app: App, sessionId: string) {
	return (await app.rooms.open(sessionId)).dump();
}
type Dump = Awaited<ReturnType<typeof dumpOf>>;

function peerIn(dump: Dump, peerId: string) {
	const peer = dump.peers.find((p) => p.id === peerId);
	if (!peer) throw new Error(`${peerId} is not in the room`);
	return peer;
}

/** The producers a peer holds a consumer of. */
const consumedBy = (dump: Dump, peerId: string) =>
	peerIn(dump, peerId)
		.consumers.map((c) => c.producerId)
		.sort();

const sorted = (...ids: (string | undefined)[]) => ids.map((id) => id!).sort();

// ---------------------------------------------------------------------------------------------

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
			expect(await codeOf(socket, 'room:join', { sessionId: session.sessionId }), actor.username).toBe(code);
			// Not in any room: every other room command is out of turn.
			expect(await codeOf(socket, 'room:chat', { body: '你好' })).toBe('CONFLICT');
		}
		// An invitation admits to its own session only, even of the same case and party.
		const guest = connect({ cookie: other.applicant.cookie });
		await connected(guest);
		expect(await codeOf(guest, 'room:join', { sessionId: session.sessionId })).toBe('FORBIDDEN');
		expect(await codeOf(guest, 'room:join', { sessionId: randomUUID() })).toBe('NOT_FOUND');
		expect(await codeOf(guest, 'room:createTransport', { direction: 'recv' })).toBe('CONFLICT');

		await sync(mediator, waiting);
		// The mediator saw one arrival only: the applicant's, in the lobby; the lobby sees no one's.
		expect(seen(mediator, 'room:peerJoined')).toEqual([waiting.snapshot.self]);
		expect(seen(waiting, 'room:peerJoined')).toEqual([]);
		expect(await dumpOf(app, session.sessionId)).toEqual(before);
		expect(await participants()).toEqual(listed);
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
		await ok(mediator.socket, 'room:leave', {});
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
				expect(await codeOf(intruder.socket, event, payload as never), `${who} ${event}`).toBe('NOT_FOUND');
			}
		}
		// Room B's peers are no one the mediator of room A can act on.
		expect(await codeOf(mediatorA.socket, 'room:remove', { peerId: respondentB.id })).toBe('NOT_FOUND');
		expect(await codeOf(mediatorA.socket, 'room:mute', { peerId: mediatorB.id, source: 'mic' })).toBe('NOT_FOUND');
		expect(await codeOf(mediatorA.socket, 'room:sendToLobby', { peerId: respondentB.id })).toBe('NOT_FOUND');

		expect(await dumpOf(app, other.sessionId)).toEqual(before);
		await sync(mediatorB, respondentB);
		expect(mediatorB.facts.slice(factsBefore[0])).toEqual([]);
		expect(respondentB.facts.slice(factsBefore[1])).toEqual([]);
		// Still theirs to use.
		expect(await codeOf(respondentB.socket, 'room:resumeConsumer', { consumerId: consumerB.id })).toBe('ok');
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
		const replies = await Promise.all([session, other].map(({ sessionId }) => ask(socket, 'room:join', { sessionId })));
		expect(replies).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
		const rooms = await Promise.all([session, other].map(({ sessionId }) => app.rooms.open(sessionId)));
		const occupied = rooms.filter((room) => !room.empty);
		expect(occupied).toHaveLength(1);
		expect(occupied[0].dump().peers).toHaveLength(1);
		// The connection acts in the room it is in.
		const said = await ok(socket, 'room:chat', { body: '我在哪个房间？' });
		const [stored] = await app.db.select().from(sessionMessages).where(eq(sessionMessages.id, said.id));
		expect(stored.sessionId).toBe(occupied[0].id);

		socket.disconnect();
		await vi.waitFor(() => expect(rooms.every((room) => room.empty)).toBe(true));
	});
});

describe('lobby', () => {
	test('the host admits everyone waiting at once; a party cannot, and an empty lobby is nothing to do', async ({
		session,
		mediatorCookie,
		connect
	}) => {
		const mediator = await enter(connect, mediatorCookie, session.sessionId);
		const applicant = await enter(connect, session.applicant.cookie, session.sessionId);
		const respondent = await enter(connect, session.respondent.cookie, session.sessionId);
		expect(await codeOf(applicant.socket, 'room:admitAll', {})).toBe('FORBIDDEN');
		expect(await codeOf(mediator.socket, 'room:admitAll', { peerId: applicant.id } as never)).toBe('VALIDATION');
		await sync(applicant, respondent);
		expect([...seen(applicant, 'room:peerMoved'), ...seen(respondent, 'room:peerMoved')]).toEqual([]);

		const moved = [applicant, respondent].map((peer) =>
			nextFact(peer.socket, 'room:peerMoved', (move) => move.peerId === peer.id)
		);
		expect(await ok(mediator.socket, 'room:admitAll', {})).toEqual({});
		for (const [i, peer] of [applicant, respondent].entries()) {
			expect(await moved[i]).toMatchObject({ peerId: peer.id, from: 'lobby', space: 'joint' });
		}
		await sync(mediator);
		expect(seen(mediator, 'room:peerMoved').map((move) => [move.peerId, move.space])).toEqual([
			[applicant.id, 'joint'],
			[respondent.id, 'joint']
		]);

		const facts = mediator.facts.length;
		expect(await ok(mediator.socket, 'room:admitAll', {})).toEqual({});
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
		const welcome = await ok(mediator.socket, 'room:chat', { body: '请稍候，马上开始。' });

		for (const direction of ['send', 'recv'] as const) {
			expect(await codeOf(waiting.socket, 'room:createTransport', { direction })).toBe('FORBIDDEN');
		}
		expect(await consumeCode(waiting, m.mic!)).toBe('FORBIDDEN');
		const fromLobby = {
			transportId: mediator.send!,
			kind: 'audio',
			rtpParameters: rtpParameters('mic'),
			source: 'mic'
		};
		expect(await codeOf(waiting.socket, 'room:produce', fromLobby as never)).toBe('FORBIDDEN');
		expect(await codeOf(waiting.socket, 'room:chat', { body: '我到了' })).toBe('FORBIDDEN');
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
			expect(await codeOf(waiting.socket, 'room:resumeConsumer', { consumerId: consumer.id })).toBe('ok');
		}
		expect(consumedBy(await dumpOf(app, session.sessionId), waiting.id)).toEqual(sorted(m.mic, m.camera));

		// Sent back to the lobby, the party holds no media again and may not take any.
		await ok(mediator.socket, 'room:sendToLobby', { peerId: waiting.id });
		expect(peerIn(await dumpOf(app, session.sessionId), waiting.id)).toMatchObject({
			space: 'lobby',
			transports: [],
			producers: [],
			consumers: []
		});
		expect(await codeOf(waiting.socket, 'room:createTransport', { direction: 'recv' })).toBe('FORBIDDEN');
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

		expect(await codeOf(party.socket, 'room:admit', { peerId: party.id })).toBe('FORBIDDEN');
		const [moved] = await admit(expert, party);
		expect(moved).toMatchObject({ peerId: party.id, space: 'joint' });
		expect(await codeOf(party.socket, 'room:sendToLobby', { peerId: expert.id })).toBe('FORBIDDEN');
		// Hosts are never sent to the lobby, by anyone.
		expect(await codeOf(expert.socket, 'room:sendToLobby', { peerId: expert.id })).toBe('FORBIDDEN');
		expect(await codeOf(party.socket, 'room:end', {})).toBe('FORBIDDEN');
		expect(await ok(expert.socket, 'room:end', {})).toEqual({});
		expect(await statusOf()).toBe('ended');
	});
});

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

		const { caucusId } = await ok(mediator.socket, 'room:openCaucus', { memberIds: [a.id] });

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
		const said = await ok(a.socket, 'room:chat', { body: '私下说，我可以让一步。' });
		expect(said).toMatchObject({ space: caucusId, peerId: a.id });
		expect(await heard).toEqual(said);
		expect(await ok(b.socket, 'room:chat', { body: '他们去哪了？' })).toMatchObject({ space: 'joint' });
		await sync(mediator, a, b);
		expect(seen(b, 'room:chat')).toEqual([]);
		expect(seen(a, 'room:chat')).toEqual([]);
		expect(seen(mediator, 'room:chat')).toEqual([said]);

		// Closing the caucus brings everyone back, and B is offered the media again.
		const back = b.facts.length;
		await ok(mediator.socket, 'room:closeCaucus', { caucusId });
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
		expect(await codeOf(mediator.socket, 'room:closeCaucus', { caucusId })).toBe('NOT_FOUND');
	});
});

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
		for (const [event, payload] of early) expect(await codeOf(socket, event, payload as never), event).toBe('CONFLICT');

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
		expect(await codeOf(socket, 'room:chat', { body: '有人吗' })).toBe('CONFLICT');

		// A valid join still works, and then what mediasoup or the room refuses is VALIDATION too.
		const mediator: Peer = { socket, id: '', snapshot: await ok(socket, 'room:join', { sessionId }), facts: [] };
		mediator.id = mediator.snapshot.self.id;
		await transports(mediator);
		const { mic } = await produce(mediator, 'mic');
		// One transport per direction.
		expect(await codeOf(socket, 'room:createTransport', { direction: 'send' })).toBe('CONFLICT');
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
			const code = await codeOf(socket, event, payload as never);
			expect(code, `${event} ${JSON.stringify(payload).slice(0, 80)}`).toBe('VALIDATION');
		}

		expect(socket.connected).toBe(true);
		expect(await ok(socket, 'room:chat', { body: '还在' })).toMatchObject({ peerId: mediator.id, space: 'joint' });
		const dump = await dumpOf(app, sessionId);
		expect(dump.peers).toEqual([
			expect.objectContaining({ id: mediator.id, space: 'joint', producers: [expect.objectContaining({ id: mic })] })
		]);
		expect(peerIn(dump, mediator.id).transports.sort()).toEqual(sorted(mediator.send, mediator.recv));
	});
});

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
		const { caucusId } = await ok(mediator.socket, 'room:openCaucus', { memberIds: [a.id] });

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
		expect(await codeOf(first.socket, 'room:chat', { body: '旧窗口' })).toBe('CONFLICT');

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
		expect(await ok(a2.socket, 'room:chat', { body: '换了个手机' })).toMatchObject({ peerId: a.id });
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
		const open = app.rooms.open.bind(app.rooms);
		const { promise: checked, resolve: onChecked } = Promise.withResolvers<void>();
		const { promise: gate, resolve: release } = Promise.withResolvers<void>();
		const opening = vi.spyOn(app.rooms, 'open').mockImplementation(async (id) => {
			onChecked();
			await gate;
			return open(id);
		});

		untyped(socket).emit('room:join', { sessionId }, () => {});
		await checked;
		socket.disconnect();
		await vi.waitFor(() => expect(app.realtime.status().connections).toBe(1));
		release();
		await opening.mock.results[0].value;
		opening.mockRestore();
		await sync(mediator);

		// Nobody is left in the room for a connection that is gone, and the others were not told of one.
		expect(room.dump().peers.map((p) => p.id)).toEqual([mediator.id]);
		expect(seen(mediator, 'room:peerJoined')).toEqual([]);
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
		const opening = await ok(mediator.socket, 'room:chat', { body: '各位好，我们开始调解。' });
		const reply = await ok(a.socket, 'room:chat', { body: '  好的。  ' });
		const { caucusId } = await ok(mediator.socket, 'room:openCaucus', { memberIds: [a.id] });
		const secret = await ok(a.socket, 'room:chat', { body: '其实我最多能接受八百元。' });

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
		expect((await ok(bAgain, 'room:join', { sessionId })).self.space).toBe('joint');
		expect(await bHistory).toEqual({ space: 'joint', messages: [opening, reply], more: false });

		// A comes back to the caucus, and gets the caucus's chat only.
		const aLeft = nextFact(mediator.socket, 'room:peerLeft', (fact) => fact.peerId === a.id);
		a.socket.disconnect();
		await aLeft;
		const aAgain = connect({ cookie: session.applicant.cookie });
		const aHistory = nextFact(aAgain, 'room:chatHistory');
		await connected(aAgain);
		expect((await ok(aAgain, 'room:join', { sessionId })).self.space).toBe(caucusId);
		expect(await aHistory).toEqual({ space: caucusId, messages: [secret], more: false });
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

		expect(await codeOf(a.socket, 'room:end', {})).toBe('FORBIDDEN');
		expect(await codeOf(waiting.socket, 'room:end', {})).toBe('FORBIDDEN');
		expect(await statusOf()).toBe('live');
		expect(room.closed).toBe(false);

		const exits = [mediator, a, waiting].map((peer) => nextFact(peer.socket, 'room:exit'));
		expect(await ok(mediator.socket, 'room:end', {})).toEqual({});

		expect(await Promise.all(exits)).toEqual([{ reason: 'ended' }, { reason: 'ended' }, { reason: 'ended' }]);
		expect(await statusOf()).toBe('ended');
		expect(room.closed).toBe(true);
		// Told once each: not again as a failure when the room closed.
		await sync(mediator, a, waiting);
		for (const peer of [mediator, a, waiting]) expect(seen(peer, 'room:exit')).toEqual([{ reason: 'ended' }]);
		expect(await codeOf(a.socket, 'room:chat', { body: '结束了吗' })).toBe('CONFLICT');
		for (const peer of [mediator, a, waiting]) {
			expect(await codeOf(peer.socket, 'room:join', { sessionId })).toBe('CONFLICT');
		}
		const late = connect({ cookie: mediatorCookie });
		await connected(late);
		expect(await codeOf(late, 'room:join', { sessionId })).toBe('CONFLICT');
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
		expect(await codeOf(a.socket, 'room:refuse', { peerId: waiting.id })).toBe('FORBIDDEN');
		expect(await codeOf(a.socket, 'room:remove', { peerId: waiting.id })).toBe('FORBIDDEN');
		expect(await codeOf(mediator.socket, 'room:refuse', { peerId: a.id })).toBe('CONFLICT');

		const refused = nextFact(waiting.socket, 'room:exit');
		await ok(mediator.socket, 'room:refuse', { peerId: waiting.id });
		expect(await refused).toEqual({ reason: 'refused' });

		const removed = nextFact(a.socket, 'room:exit');
		await ok(mediator.socket, 'room:remove', { peerId: a.id });
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
			expect(await codeOf(peer.socket, 'room:chat', { body: '让我进去' })).toBe('CONFLICT');
			expect(await codeOf(peer.socket, 'room:join', { sessionId })).toBe('FORBIDDEN');
			const socket = connect({ cookie: guest.cookie });
			await connected(socket);
			expect(await codeOf(socket, 'room:join', { sessionId })).toBe('FORBIDDEN');
		}
		expect((await dumpOf(app, sessionId)).peers.map((p) => p.id)).toEqual([mediator.id]);
		// Their attempts were never announced: the only arrivals the mediator saw are the first two.
		await sync(mediator);
		expect(seen(mediator, 'room:peerJoined').map((p) => p.id)).toEqual([a.id, waiting.id]);
	});
});
