/**
 * What the owner's mediasoup worker spends per consumer with the people's sockets on another
 * process (their commands forwarded to the owner) against all of them on the owner, as room-load.ts
 * measures it: CPU of the worker from /proc while fed synthetic media, viewers added in steps.
 *
 * Two sides run at once, each on its own process's worker: **one process**, rooms owned by the
 * first process with every socket on it; **across**, rooms owned by the second process (the
 * mediator's socket there joined first) with every other socket on the first. In each room the
 * applicant speaks (Opus and VP8, room-load.ts's speaker) and the other guests watch, each consuming
 * the speaker's audio and video. Everyone is a Socket.io client of the bench sending the room
 * commands a page sends; the transports they make are the app's own WebRtcTransports, whose far
 * ends are a worker of the bench's own, joined through ice-relay.ts. That worker also sends the
 * speakers' media, with SRTP, from room-load.ts's feeder: the speakers of both sides' rooms get the
 * very same packets at the same time.
 */
import type { types } from 'mediasoup';
import { io } from 'socket.io-client';
import { SESSION_COOKIE } from '#server/auth/sessions.ts';
import { JOIN_COOKIE } from '#server/sessions/participant-of.ts';
import type { BrowserMedia, CommandName, CommandPayload } from '#shared/realtime-events.ts';
import { ask, type CommandSocket } from '../../src/lib/realtime/command-client.ts';
import { mediaWorkerPid, type ServerProcess } from '../support/server-process.ts';
import { expectOwner } from './cluster-processes.ts';
import { IceRelay, type Link } from './ice-relay.ts';
import type { Seeded } from './room-join.ts';
import { measure, SETTLE_MS, SPEAKER, SrtpFeeder, type Load, type Window } from './room-load.ts';
import { packetsPerSecond, RtpSender } from './rtp-feed.ts';

/** Rooms on each side; each has a speaker and up to nine viewers (the other guests). */
export const FORWARDING_ROOMS = 4;
/** Viewers on each side at each step, spread over its rooms. */
export const CLUSTER_VIEWER_STEPS = [0, 12, 24, 36];

export type SideName = 'one' | 'across';
export type ClusterForwardingStep = { viewers: number; consumers: number } & Record<SideName, Window>;
/** The viewers' commands' round trips in ms, as their sockets saw them, by command. */
export type RoundTrips = Partial<Record<CommandName, number[]>>;
export type ClusterForwarding = { steps: ClusterForwardingStep[]; roundTrips: Record<SideName, RoundTrips> };

/** A room under load: its host's socket (who admits), its speaker's producers, and everyone's sockets. */
type LoadedRoom = { seeded: Seeded; host: CommandSocket; producerIds: string[] };

/** Where a side's rooms are owned and its people's sockets are, the links of its speakers and viewers, and the viewers' round trips. */
type Side = {
	owner: ServerProcess;
	people: ServerProcess;
	rooms: LoadedRoom[];
	speakers: Link[];
	viewers: Link[];
	roundTrips: RoundTrips;
};

/** `apps[0]` owns the one-process side's rooms and holds every socket but the across side's hosts. */
export async function benchClusterForwarding(
	apps: ServerProcess[],
	sessions: Record<SideName, Seeded[]>
): Promise<ClusterForwarding> {
	const sender = new RtpSender();
	await sender.start();
	// One source per room: room i of each side gets source i.
	const feeder = await SrtpFeeder.create(sender, SPEAKER, FORWARDING_ROOMS);
	const relay = await IceRelay.open();
	const sockets: CommandSocket[] = [];
	const connect = async (app: ServerProcess, cookie: string) => {
		const socket: CommandSocket = io(app.base, {
			transports: ['websocket'],
			reconnection: false,
			forceNew: true,
			extraHeaders: { cookie }
		});
		sockets.push(socket);
		await new Promise((resolve, reject) => socket.once('connect', resolve as () => void).once('connect_error', reject));
		return socket;
	};
	// No header extensions: no bandwidth estimation, so the consumers send all they get (as in room-load.ts).
	const rtpCapabilities = {
		codecs: feeder.router.rtpCapabilities.codecs,
		headerExtensions: []
	} as unknown as BrowserMedia['rtpCapabilities'];

	/** The room's mediator on the owner, then its applicant admitted and speaking. */
	const openRoom = async (side: Side, seeded: Seeded): Promise<void> => {
		const host = await connect(side.owner, `${SESSION_COOKIE}=${seeded.mediatorCookie}`);
		await ask(host, 'room:join', { sessionId: seeded.sessionId });
		await expectOwner(side.owner, seeded.sessionId);
		const speaker = await connect(side.people, `${JOIN_COOKIE}=${seeded.joinTokens[0]}`);
		await ask(speaker, 'room:join', { sessionId: seeded.sessionId });
		await ask(host, 'room:admit', { peerId: seeded.guestIds[0] });
		const send = await ask(speaker, 'room:createTransport', { direction: 'send' });
		const link = await relay.link(feeder.router, send, (dtlsParameters) =>
			ask(speaker, 'room:connectTransport', { transportId: send.id, dtlsParameters })
		);
		const { audio, video } = await feeder.sendOn(link.transport);
		const produce = (kind: types.MediaKind, rtpParameters: types.RtpParameters) =>
			ask(speaker, 'room:produce', {
				transportId: send.id,
				kind,
				rtpParameters: rtpParameters as BrowserMedia['rtpParameters'],
				source: kind === 'audio' ? 'mic' : 'camera'
			});
		const producerIds = [(await produce('audio', audio)).id, (await produce('video', video)).id];
		side.rooms.push({ seeded, host, producerIds });
		side.speakers.push(link);
	};

	/** Guest `guest` of the room joins, is admitted, and consumes the speaker's audio and video; its commands timed. */
	const addViewer = async (side: Side, room: LoadedRoom, guest: number): Promise<void> => {
		const { seeded } = room;
		const socket = await connect(side.people, `${JOIN_COOKIE}=${seeded.joinTokens[guest]}`);
		const timed = async <E extends CommandName>(event: E, payload: CommandPayload<E>) => {
			const started = performance.now();
			const result = await ask(socket, event, payload);
			(side.roundTrips[event as CommandName] ??= []).push(performance.now() - started);
			return result;
		};
		await timed('room:join', { sessionId: seeded.sessionId });
		await ask(room.host, 'room:admit', { peerId: seeded.guestIds[guest] });
		const recv = await timed('room:createTransport', { direction: 'recv' });
		side.viewers.push(
			await relay.link(feeder.router, recv, (dtlsParameters) =>
				timed('room:connectTransport', { transportId: recv.id, dtlsParameters })
			)
		);
		for (const producerId of room.producerIds) {
			const consumer = await timed('room:consume', { producerId, rtpCapabilities });
			await timed('room:resumeConsumer', { consumerId: consumer.id });
		}
	};

	try {
		const sides: Record<SideName, Side> = {
			one: { owner: apps[0], people: apps[0], rooms: [], speakers: [], viewers: [], roundTrips: {} },
			across: { owner: apps[1], people: apps[0], rooms: [], speakers: [], viewers: [], roundTrips: {} }
		};
		for (const name of ['one', 'across'] as const) {
			for (const seeded of sessions[name]) await openRoom(sides[name], seeded);
		}
		const rates = packetsPerSecond(SPEAKER);
		const perSpeaker = rates.audio + rates.video[0];
		const sum = (links: Link[], count: (link: Link) => number) => links.reduce((total, link) => total + count(link), 0);
		const loads: Load[] = [sides.one, sides.across].map((side) => ({
			pid: mediaWorkerPid(side.owner),
			// As the relay saw them: what the speakers sent the app, and what its consumers sent the viewers.
			packets: async () => ({
				in: sum(side.speakers, (link) => link.rtpToApp()),
				out: sum(side.viewers, (link) => link.rtpFromApp())
			}),
			expected: { in: FORWARDING_ROOMS * perSpeaker, out: 0 }
		}));

		const steps: ClusterForwardingStep[] = [];
		let viewers = 0;
		for (const wanted of CLUSTER_VIEWER_STEPS) {
			for (; viewers < wanted; viewers++) {
				// Viewer v sits in room v mod ROOMS, as its guest 1 + v div ROOMS (guest 0 speaks).
				for (const side of [sides.one, sides.across]) {
					await addViewer(side, side.rooms[viewers % FORWARDING_ROOMS], 1 + Math.floor(viewers / FORWARDING_ROOMS));
				}
			}
			for (const load of loads) load.expected.out = viewers * perSpeaker;
			await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
			const [one, across] = await measure(loads, feeder.pid);
			steps.push({ viewers, consumers: viewers * 2, one, across });
			console.log(
				`  ${viewers} viewers a side: one process ${(one.cpu * 100).toFixed(1)} %, across ${(across.cpu * 100).toFixed(1)} % of a core`
			);
		}
		return { steps, roundTrips: { one: sides.one.roundTrips, across: sides.across.roundTrips } };
	} finally {
		for (const socket of sockets) socket.disconnect();
		relay.close();
		feeder.close();
		await sender.stop();
	}
}
