import { AppError } from '#shared/errors.ts';
import type { ChatMessage, ChatPage, RoomSnapshot, SpaceId } from '#shared/realtime-events.ts';
import { hostsRoom } from '#shared/sessions.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import type { RoomRegistry } from '../media/room-registry.ts';
import type { Room } from '../media/room.ts';
import type { ServerMedia } from '../media/server-media.ts';
import { partiesAwaitingNotice } from '../notice/parties-awaiting-notice.ts';
import { listChatPage } from './list-chat-page.ts';
import { participantOf, type Participant, type RoomIdentity, type RoomSession } from './participant-of.ts';
import { recordRoomJoin, SAME_VISIT_MS } from './record-room-join.ts';
import { saveChatMessage } from './save-chat-message.ts';
import { arriveOnline, leaveOnline } from './session-attendance.ts';
import { endSession, markSessionLive } from './session-status.ts';

/** A connection's place in a room: the room, and who it is there (the peer id is the participant id). */
export type Membership = { room: Room; participant: Participant; session: RoomSession };

/** A connection as the rooms see it: who it is, from where, and the place the transport keeps for it. */
export type RoomSeat = {
	readonly identity: RoomIdentity;
	readonly ip: string | null;
	/** The connection closed. */
	gone(): boolean;
	/** Its place, while its room is open. */
	membership(): Membership | undefined;
	/**
	 * It becomes the participant's connection in the room; a connection it replaces is let go.
	 * What the room tells it from now on waits until `joined`.
	 */
	bind(membership: Membership): void;
	/** Its join is being answered: what the room told it meanwhile follows the answer. */
	joined(): void;
	/** It is no longer anyone's connection: its place, if it still was the participant's connection there. */
	unbind(): Membership | undefined;
	/** Sends it the latest chat of the space it is in now. */
	sendChatHistory(space: SpaceId): void;
};

/** What the transport does for a room's connections as a whole. */
export type RoomRelay = {
	/** Counts a chat message of the peer: false when they have sent too many too fast. */
	takeChatTurn(room: Room, peerId: string): boolean;
	/** A chat message, to these peers' connections. */
	tellChat(room: Room, peerIds: string[], message: ChatMessage): void;
	/** The room's session ended: its connections are told so, then the room closes. */
	end(room: Room): void;
};

export type LiveRoomsDeps = { db: Db; rooms: RoomRegistry; log: Logger } & Parameters<typeof markSessionLive>[0] &
	Parameters<typeof recordRoomJoin>[0] &
	Parameters<typeof endSession>[0];

/**
 * What people do in the live rooms of sessions, whatever carries their commands. A service rather
 * than an operation per file: every command starts from the connection's seat and most end by
 * keeping where people are, on the one registry; the room itself (server/media) judges each id and
 * right, and knows no connections.
 */
export class LiveRooms {
	readonly #deps: LiveRoomsDeps;
	readonly #relay: RoomRelay;

	/** Per session and participant, the attendance change under way: arrivals and departures are kept in order. */
	readonly #attendance = new Map<string, Promise<void>>();

	constructor(deps: LiveRoomsDeps, relay: RoomRelay) {
		this.#deps = deps;
		this.#relay = relay;
		// Whoever leaves a room, by their own word, dropped or sent away, ends their stay in its attendance.
		deps.rooms.on('opened', (room) =>
			room.on('peerLeft', (_to, { peerId }) => void this.#attend(room.id, peerId, leaveOnline))
		);
	}

	/**
	 * Checks, against the database, that the seat's account or invitation is a participant of the
	 * session; every later command acts as that participant in that room only. A host coming in
	 * makes the session live. Answered once where people are is kept.
	 */
	async join(seat: RoomSeat, sessionId: string): Promise<RoomSnapshot<ServerMedia>> {
		const { participant, session } = await participantOf(this.#deps.db, sessionId, seat.identity);
		const room = await this.#deps.rooms.open(session.id);
		const host = hostsRoom(participant.role, session.kind);
		if (host) await markSessionLive(this.#deps, session, participant, seat.ip);
		const noticePending = (await partiesAwaitingNotice(this.#deps.db, session)).has(participant.id);
		// Recorded before the join, so that nobody is in without it; coming back soon continues the visit.
		if (!room.isVisiting(participant.id, SAME_VISIT_MS)) {
			await recordRoomJoin(this.#deps, { participant, session }, seat.identity, seat.ip);
		}
		await this.#attend(session.id, participant.id, arriveOnline);
		// Meanwhile the connection may have gone, its disconnect finding no room to leave.
		if (seat.gone()) throw new AppError('CONFLICT');
		// A connection is in one room at a time; joining its own room again keeps the person's place.
		const before = seat.membership();
		if (before && before.room !== room) this.#leave(seat, 'leave');
		const { id, displayName, role } = participant;
		const view = room.join({ id, displayName, role, host, noticePending });
		seat.bind({ room, participant, session });
		try {
			seat.sendChatHistory(view.self.space);
			await this.#deps.rooms.kept(room);
			return view;
		} finally {
			seat.joined();
		}
	}

	/** The seat's place; CONFLICT when it is in no room. */
	member(seat: RoomSeat): Membership {
		const membership = seat.membership();
		if (!membership) throw new AppError('CONFLICT');
		return membership;
	}

	leave(seat: RoomSeat): void {
		this.member(seat);
		this.#leave(seat, 'leave');
	}

	/** The connection dropped without a word. */
	drop(seat: RoomSeat): void {
		this.#leave(seat, 'drop');
	}

	/** Acts in the seat's room as its participant. */
	async act<T>(seat: RoomSeat, action: (room: Room, participantId: string) => T | Promise<T>): Promise<T> {
		const { room, participant } = this.member(seat);
		return action(room, participant.id);
	}

	/** Moves people in the seat's room, answered once where they are now is kept, for a restart to put them back. */
	async move<T>(seat: RoomSeat, action: (room: Room, participantId: string) => T): Promise<T> {
		const { room, participant } = this.member(seat);
		const result = action(room, participant.id);
		await this.#deps.rooms.kept(room);
		return result;
	}

	/**
	 * Lets people out of the lobby, as `move`. Who is still to acknowledge the notice is asked of
	 * the database first: an acknowledgement given meanwhile lets a party in, and one of a text
	 * revised since does not.
	 */
	async admit<T>(seat: RoomSeat, action: (room: Room, participantId: string) => T): Promise<T> {
		const { room, session } = this.member(seat);
		room.awaitNotice(await partiesAwaitingNotice(this.#deps.db, session));
		return this.move(seat, action);
	}

	/** A host ends the session: nobody joins it again, and whoever is in the room is let go. */
	async end(seat: RoomSeat): Promise<void> {
		const { room, participant, session } = this.member(seat);
		if (!hostsRoom(participant.role, session.kind)) throw new AppError('FORBIDDEN');
		await endSession(this.#deps, session, participant, seat.ip);
		this.#relay.end(room);
	}

	/** A message to the seat's space, stored before anyone gets it. */
	async chat(seat: RoomSeat, body: string): Promise<ChatMessage> {
		const { room, participant } = this.member(seat);
		const { space, to } = room.chatScope(participant.id);
		if (!this.#relay.takeChatTurn(room, participant.id)) throw new AppError('RATE_LIMITED');
		const message = await saveChatMessage(this.#deps.db, participant, space, body);
		// Those in the space when it was said get it once it is stored; the sender has it in the reply.
		this.#relay.tellChat(
			room,
			to.filter((peerId) => peerId !== participant.id),
			message
		);
		return message;
	}

	async chatEarlier(seat: RoomSeat, before: string): Promise<ChatPage> {
		const { room, participant, session } = this.member(seat);
		return listChatPage(this.#deps.db, session.id, room.chatScope(participant.id).space, before);
	}

	/** Changes the participant's attendance after any change to it under way; a failure is logged, never thrown. */
	#attend(
		sessionId: string,
		participantId: string,
		change: (db: Db, sessionId: string, participantId: string) => Promise<void>
	): Promise<void> {
		const key = `${sessionId}:${participantId}`;
		const next = (this.#attendance.get(key) ?? Promise.resolve())
			.then(() => change(this.#deps.db, sessionId, participantId))
			.catch((error) => this.#deps.log.error({ err: error, sessionId, participantId }, 'attendance not recorded'))
			.finally(() => {
				if (this.#attendance.get(key) === next) this.#attendance.delete(key);
			});
		this.#attendance.set(key, next);
		return next;
	}

	#leave(seat: RoomSeat, how: 'leave' | 'drop'): void {
		const membership = seat.unbind();
		if (!membership || membership.room.closed) return;
		const { room, participant } = membership;
		try {
			room[how](participant.id);
		} catch (error) {
			// Already gone: removed, or the room closed meanwhile.
			if (!(error instanceof AppError)) throw error;
		}
		this.#deps.rooms.noteLeft(room);
	}
}
