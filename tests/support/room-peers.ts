/**
 * The live room's Socket.io protocol end to end, for the room specs: real sockets, the real server
 * with its mediasoup workers, a real database. Media is produced from hand-written RTP parameters
 * (a send transport produces before any DTLS handshake), which is enough to prove who the server
 * lets consume what. Peer ids are session participant ids; mediators start in the joint space,
 * everyone else in the lobby.
 */
import { vi } from 'vitest';
import type { App } from '#server/app.ts';
import type { MediaSource, RoomSnapshot, ServerToClientEvents } from '#shared/realtime-events.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { setUpNetwork, type Network } from './case-network.ts';
import { accountCookie, acceptedCase, mediationWithGuests, type Guest } from './invited-guests.ts';
import {
	codeOf,
	connected,
	replyOf,
	socketTest,
	untyped,
	whoami,
	type ClientSocket,
	type Connect
} from './socket-client.ts';

export type FactName = keyof ServerToClientEvents;
export type FactOf<E extends FactName> = Parameters<ServerToClientEvents[E]>[0];
export type Mediation = { sessionId: string; applicant: Guest; respondent: Guest };

/** A connection in a room: its socket, its peer id, what it saw on joining, and every fact it received. */
export type Peer = {
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
export async function scheduleMediation(app: App, network: Network, caseId: string): Promise<Mediation> {
	const { sessionId, guests } = await mediationWithGuests(app, network, caseId);
	const bySide = (side: Guest['side']) => guests.find((guest) => guest.side === side)!;
	return { sessionId, applicant: bySide('applicant'), respondent: bySide('respondent') };
}

export const test = socketTest
	// One worker is plenty for a few rooms, and spares the machine.
	.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>)
	.extend('network', async ({ app }) => setUpNetwork(app))
	.extend('caseId', async ({ app, network }) => acceptedCase(app, network))
	.extend('session', async ({ app, network, caseId }) => scheduleMediation(app, network, caseId))
	.extend('mediatorCookie', async ({ app, network }) => accountCookie(app, network.eastMediator));

// ---------------------------------------------------------------------------------------------
// Talking to the server.

/**
 * Holds the next call of one of the app's async methods where it starts, as a slow database or
 * room start would: `reached` resolves once it is called, and it goes on when `release` is called.
 */
export function holdNextCall<K extends 'open' | 'kept'>(rooms: App['rooms'], method: K) {
	const original = rooms[method].bind(rooms) as (...args: unknown[]) => Promise<unknown>;
	const { promise: reached, resolve: onReached } = Promise.withResolvers<void>();
	const { promise: gate, resolve: release } = Promise.withResolvers<void>();
	const spy = vi.spyOn(rooms, method as 'open').mockImplementationOnce(async (...args) => {
		onReached();
		await gate;
		return (await original(...args)) as Awaited<ReturnType<App['rooms']['open']>>;
	});
	return { reached, release, spy };
}

/** The next fact of this kind (that passes `test`), or a rejection after 5 s. */
export function nextFact<E extends FactName>(
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
export async function sync(...peers: (Peer | ClientSocket)[]): Promise<void> {
	await Promise.all(peers.map((p) => whoami('socket' in p ? p.socket : p)));
}

/** The facts of this kind the peer received so far (from `since` on, an index into its facts). */
export function seen<E extends FactName>(peer: Peer, event: E, since = 0): FactOf<E>[] {
	return peer.facts
		.slice(since)
		.filter(([name]) => name === event)
		.map(([, payload]) => payload as FactOf<E>);
}

/** Connects with the cookie, recording every fact from the start, and joins the session's room. */
export async function enter(connect: Connect, cookie: string, sessionId: string): Promise<Peer> {
	const socket = connect({ cookie });
	const facts: Peer['facts'] = [];
	socket.onAny((event: string, payload: unknown) => facts.push([event, payload]));
	await connected(socket);
	const snapshot = await ask(socket, 'room:join', { sessionId });
	return { socket, id: snapshot.self.id, snapshot, facts };
}

/** The mediator admits each peer from the lobby; returns the moves as each peer was told them. */
export async function admit(mediator: Peer, ...peers: Peer[]): Promise<FactOf<'room:peerMoved'>[]> {
	const moves = [];
	for (const peer of peers) {
		const moved = nextFact(peer.socket, 'room:peerMoved', (move) => move.peerId === peer.id);
		await ask(mediator.socket, 'room:admit', { peerId: peer.id });
		moves.push(await moved);
	}
	return moves;
}

/** The session's mediator and these guests, all in the joint space. */
export async function jointRoom(connect: Connect, mediatorCookie: string, sessionId: string, guests: Guest[]) {
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
export function rtpParameters(source: MediaSource) {
	if (source === 'mic') {
		return {
			codecs: [{ ...opus, parameters: { useinbandfec: 1, usedtx: 1 } }],
			encodings: [{ ssrc: ssrc++ }],
			rtcp: { cname: source }
		};
	}
	return { codecs: [vp8], encodings: [{ ssrc: ssrc++ }, { ssrc: ssrc++ }, { ssrc: ssrc++ }], rtcp: { cname: source } };
}
export const kindOf = (source: MediaSource): 'audio' | 'video' => (source === 'mic' ? 'audio' : 'video');

export const DTLS = {
	role: 'client',
	fingerprints: [{ algorithm: 'sha-256', value: Array(32).fill('AB').join(':') }]
};

/** A send and a receive transport for the peer. */
export async function transports(peer: Peer): Promise<void> {
	peer.send = (await ask(peer.socket, 'room:createTransport', { direction: 'send' })).id;
	peer.recv = (await ask(peer.socket, 'room:createTransport', { direction: 'recv' })).id;
}

/** Transports, and a producer for each source: their ids by source. */
export async function produce(peer: Peer, ...sources: MediaSource[]): Promise<Partial<Record<MediaSource, string>>> {
	if (!peer.send) await transports(peer);
	const ids: Partial<Record<MediaSource, string>> = {};
	for (const source of sources) {
		const payload = { transportId: peer.send!, kind: kindOf(source), rtpParameters: rtpParameters(source), source };
		ids[source] = (await ask(peer.socket, 'room:produce', payload)).id;
	}
	return ids;
}

/** The router's own capabilities, as the snapshot gave them: they can consume anything it routes. */
export const capabilitiesOf = (peer: Peer) => peer.snapshot.rtpCapabilities as unknown as Record<string, unknown>;

export const consume = (peer: Peer, producerId: string) =>
	ask(peer.socket, 'room:consume', { producerId, rtpCapabilities: capabilitiesOf(peer) });

export const consumeCode = async (peer: Peer, producerId: string) =>
	codeOf(await replyOf(ask(peer.socket, 'room:consume', { producerId, rtpCapabilities: capabilitiesOf(peer) })));

// ---------------------------------------------------------------------------------------------
// The server's own view of the room.

export async function dumpOf(app: App, sessionId: string) {
	return (await app.rooms.open(sessionId)).dump();
}
export type Dump = Awaited<ReturnType<typeof dumpOf>>;

export function peerIn(dump: Dump, peerId: string) {
	const peer = dump.peers.find((p) => p.id === peerId);
	if (!peer) throw new Error(`${peerId} is not in the room`);
	return peer;
}

/** The producers a peer holds a consumer of. */
export const consumedBy = (dump: Dump, peerId: string) =>
	peerIn(dump, peerId)
		.consumers.map((c) => c.producerId)
		.sort();

export const sorted = (...ids: (string | undefined)[]) => ids.map((id) => id!).sort();
