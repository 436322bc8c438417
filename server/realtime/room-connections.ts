import {
	CHAT_LIMITS,
	type ChatMessage,
	type ChatPage,
	type RoomExit,
	type ServerToClientEvents,
	type SpaceId
} from '#shared/realtime-events.ts';
import type { Room } from '../media/room.ts';
import type { ServerMedia } from '../media/server-media.ts';
import { RateLimit } from '../rate-limit.ts';
import type { Membership, RoomRelay, RoomSeat } from '../sessions/live-rooms.ts';
import type { SocketData } from './authenticate-handshake.ts';
import type { AppSocket } from './command-handler.ts';

/**
 * A connection the rooms talk to: a socket of this process, or a socket of another process whose
 * commands that process forwards to this one, the owner of its room (server/cluster).
 */
export type RoomConnection = Pick<AppSocket, 'emit' | 'disconnected'> & {
	readonly data: Pick<SocketData, 'identity'>;
	readonly handshake: { readonly address: string };
};

/**
 * Which connection is which peer of which room, and the relay of each room's events to those
 * connections. A peer has one connection at a time: a newer one takes the place of the old.
 */
export class RoomConnections implements RoomRelay {
	/** The latest chat of a space of a session, sent to whoever arrives there. */
	readonly #chatOf: (sessionId: string, space: SpaceId) => Promise<ChatPage>;
	readonly #onError: (error: unknown) => void;
	readonly #memberships = new Map<RoomConnection, Membership>();
	/** room id → peer id → its connection */
	readonly #sockets = new Map<string, Map<string, RoomConnection>>();
	/**
	 * What the room told a connection while its join was being answered: sent after the answer, so
	 * that the snapshot in it never overtakes (and wipes out) a fact that followed it.
	 */
	readonly #waiting = new Map<RoomConnection, (() => void)[]>();
	/** room id → peer id → how much more they may say now: per person, so a new connection starts with what is left. */
	readonly #chatAllowances = new Map<string, Map<string, RateLimit>>();

	constructor(chatOf: (sessionId: string, space: SpaceId) => Promise<ChatPage>, onError: (error: unknown) => void) {
		this.#chatOf = chatOf;
		this.#onError = onError;
	}

	/** The socket as the live rooms see it. */
	seatOf(socket: RoomConnection): RoomSeat {
		return {
			identity: socket.data.identity,
			ip: socket.handshake.address || null,
			gone: () => socket.disconnected,
			membership: () => this.of(socket),
			bind: (membership) => this.bind(socket, membership),
			joined: () => this.joined(socket),
			unbind: () => this.unbind(socket),
			sendChatHistory: (space) => this.sendChatHistory(socket, space)
		};
	}

	of(socket: RoomConnection): Membership | undefined {
		const membership = this.#memberships.get(socket);
		return membership && !membership.room.closed ? membership : undefined;
	}

	/**
	 * Makes the socket this peer's connection; one it replaces is told so and forgotten. What the
	 * room tells it waits until its join is answered (`joined`).
	 */
	bind(socket: RoomConnection, membership: Membership): void {
		this.#waiting.set(socket, this.#waiting.get(socket) ?? []);
		const previous = this.socketOf(membership.room, membership.participant.id);
		if (previous && previous !== socket) this.#exit(previous, 'replaced');
		// Looked up after the exit: the old connection may have been the room's last, and its map dropped with it.
		this.#peersOf(membership.room).set(membership.participant.id, socket);
		this.#memberships.set(socket, membership);
	}

	/**
	 * The socket's join is being answered now: what waited goes out once the answer has, after the
	 * promises that carry it settle (hence the next turn of the event loop).
	 */
	joined(socket: RoomConnection): void {
		setImmediate(() => {
			const waiting = this.#waiting.get(socket) ?? [];
			this.#waiting.delete(socket);
			for (const send of waiting) send();
		});
	}

	socketOf(room: Room, peerId: string): RoomConnection | undefined {
		return this.#sockets.get(room.id)?.get(peerId);
	}

	/** Sends the latest chat of the space the socket's peer is in now (none in the lobby). */
	sendChatHistory(socket: RoomConnection, space: SpaceId): void {
		const membership = this.#memberships.get(socket);
		if (!membership) return;
		const page =
			space === 'lobby' ? Promise.resolve({ messages: [], more: false }) : this.#chatOf(membership.session.id, space);
		page.then((latest) => socket.emit('room:chatHistory', { space, ...latest }), this.#onError);
	}

	/** Counts a chat message of the peer: false when they have sent too many too fast. */
	takeChatTurn(room: Room, peerId: string): boolean {
		let allowances = this.#chatAllowances.get(room.id);
		if (!allowances) this.#chatAllowances.set(room.id, (allowances = new Map()));
		let allowance = allowances.get(peerId);
		if (!allowance) allowances.set(peerId, (allowance = new RateLimit(CHAT_LIMITS.burst, CHAT_LIMITS.perSecond)));
		return allowance.take();
	}

	tellChat(room: Room, peerIds: string[], message: ChatMessage): void {
		for (const peerId of peerIds) {
			const socket = this.socketOf(room, peerId);
			if (socket) this.#tell(socket, () => socket.emit('room:chat', message));
		}
	}

	/** Forgets the socket's membership; returns it if the socket was still the peer's connection. */
	unbind(socket: RoomConnection): Membership | undefined {
		const membership = this.#memberships.get(socket);
		if (!membership) return undefined;
		this.#memberships.delete(socket);
		const peers = this.#sockets.get(membership.room.id);
		if (peers?.get(membership.participant.id) !== socket) return undefined;
		peers.delete(membership.participant.id);
		if (!peers.size) this.#sockets.delete(membership.room.id);
		return membership;
	}

	/** The room's session ended or was called off: its connections are told so, then the room closes. */
	end(room: Room): void {
		this.exitAll(room, 'ended');
		room.close();
	}

	/** Forgets the room's connections without a word, for them to join it again where it goes next. */
	release(room: Room): RoomConnection[] {
		const connections = [...(this.#sockets.get(room.id)?.values() ?? [])];
		for (const connection of connections) {
			this.#waiting.delete(connection);
			this.unbind(connection);
		}
		return connections;
	}

	/** Tells every connection of the room why it is let go, and forgets them. */
	exitAll(room: Room, reason: RoomExit): void {
		for (const socket of this.#sockets.get(room.id)?.values() ?? []) this.#exit(socket, reason);
	}

	/** Forwards the room's events to the connections of the peers each one is for. */
	relay(room: Room): void {
		type Facts = ServerToClientEvents<ServerMedia>;
		const send = <E extends keyof Facts>(to: string[], event: E, ...fact: Parameters<Facts[E]>) => {
			const peers = this.#sockets.get(room.id);
			for (const peerId of to) {
				const socket = peers?.get(peerId);
				if (socket) this.#tell(socket, () => socket.emit(event, ...fact));
			}
		};
		room.on('peerJoined', (to, peer) => send(to, 'room:peerJoined', peer));
		room.on('peerMoved', (to, move) => {
			send(
				to.filter((id) => id !== move.peerId),
				'room:peerMoved',
				move
			);
			// The peer who moved also learns what it may see from its new place.
			const socket = to.includes(move.peerId) ? this.socketOf(room, move.peerId) : undefined;
			if (socket) {
				const fact = { ...move, snapshot: room.view(move.peerId) };
				this.#tell(socket, () => socket.emit('room:peerMoved', fact));
				this.sendChatHistory(socket, move.space);
			}
		});
		room.on('peerLeft', (to, left) => {
			send(
				to.filter((id) => id !== left.peerId),
				'room:peerLeft',
				left
			);
			const socket = this.socketOf(room, left.peerId);
			if (socket && left.reason !== 'left') this.#exit(socket, left.reason);
		});
		room.on('newProducer', (to, producer) => send(to, 'room:newProducer', producer));
		room.on('producerClosed', (to, closed) => send(to, 'room:producerClosed', closed));
		room.on('consumerClosed', (to, { consumerId, producerId }) =>
			send(to, 'room:consumerClosed', { consumerId, producerId })
		);
		room.on('producerPaused', (to, change) => send(to, 'room:producerPaused', change));
		room.on('peerMuted', (to, muted) => send(to, 'room:peerMuted', muted));
		room.on('activeSpeaker', (to, speaker) => send(to, 'room:activeSpeaker', speaker));
		room.on('rebuilt', (to, rebuilt) => send(to, 'room:rebuilt', rebuilt));
		room.on('close', () => {
			this.exitAll(room, 'failed');
			this.#chatAllowances.delete(room.id);
		});
	}

	#peersOf(room: Room): Map<string, RoomConnection> {
		let peers = this.#sockets.get(room.id);
		if (!peers) this.#sockets.set(room.id, (peers = new Map()));
		return peers;
	}

	/** Sends now, or after the socket's join is answered. */
	#tell(socket: RoomConnection, send: () => void): void {
		const waiting = this.#waiting.get(socket);
		if (waiting) waiting.push(send);
		else send();
	}

	#exit(socket: RoomConnection, reason: RoomExit): void {
		this.#waiting.delete(socket);
		this.unbind(socket);
		socket.emit('room:exit', { reason });
	}
}
