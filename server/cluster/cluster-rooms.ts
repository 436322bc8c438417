import { randomUUID } from 'node:crypto';
import { AppError, type Reply } from '#shared/errors.ts';
import type { Logger } from '../log.ts';
import type { RoomRegistry } from '../media/room-registry.ts';
import type { Room } from '../media/room.ts';
import { answerCommand, type AppSocket } from '../realtime/command-handler.ts';
import {
	runRoomCommand,
	type RoomCommandName,
	type RoomCommandPayload,
	type RoomCommandResult
} from '../realtime/room-commands.ts';
import type { RoomConnection, RoomConnections } from '../realtime/room-connections.ts';
import type { RoomCommandRunner } from '../realtime/room-handlers.ts';
import type { LiveRooms, RoomSeat } from '../sessions/live-rooms.ts';
import { ClusterBus, type ClusterMessage, type ConnectionCard } from './cluster-bus.ts';
import { ProcessDirectory, type ProcessCard } from './process-directory.ts';
import type { RedisConnection } from './redis-connection.ts';
import { RoomLeases } from './room-leases.ts';

/** How often leases are renewed, the process beats, and owners and forwarders check on each other. */
const TICK_MS = 500;
/** A forwarded command not answered by then is answered INTERNAL: the page asks again, and finds the room's owner then. */
const FORWARD_TIMEOUT_MS = 3000;

export type ClusterRoomsDeps = {
	log: Logger;
	rooms: RoomRegistry;
	live: LiveRooms;
	connections: RoomConnections;
	/** This process's socket of that id, if it is still connected. */
	socketById: (id: string) => AppSocket | undefined;
};

/** Where one of this process's sockets is in a room another process owns. */
type Forwarded = { owner: string; roomId: string };

/**
 * Rooms across app processes. Each live room has one owner process, holding its lease in Redis
 * (RoomLeases); the owner runs the room and its mediasoup router, and the browsers' WebRTC
 * transports connect to the owner's media address. A process whose socket is in a room owned
 * elsewhere forwards that socket's room commands to the owner and hands the owner's facts to the
 * socket, in order, over the owner's and its own channels (ClusterBus). When a room leaves its owner
 * (the owner dies and its lease runs out, or it stops and hands its rooms over), the sockets that
 * were in it are closed: the pages reconnect, join again, and whoever is asked first takes the room
 * over, with everyone's places as kept in PostgreSQL.
 */
export class ClusterRooms implements RoomCommandRunner {
	readonly processId: string;
	readonly #deps: ClusterRoomsDeps;
	readonly #leases: RoomLeases;
	readonly #directory: ProcessDirectory;
	#bus!: ClusterBus;
	/** This process's sockets in rooms owned elsewhere. */
	readonly #forwarded = new Map<AppSocket, Forwarded>();
	/** Sockets of other processes in this process's rooms, by process and socket id. */
	readonly #remotes = new Map<string, { connection: RemoteConnection; seat: RoomSeat }>();
	/** Forwarded commands waiting for their reply, by request id. */
	readonly #pending = new Map<string, (reply: Reply<unknown>) => void>();
	readonly #ticker: NodeJS.Timeout;
	#ticking = false;
	#leaving = false;

	static async start(deps: ClusterRoomsDeps, publisher: RedisConnection, subscriber: RedisConnection) {
		const cluster = new ClusterRooms(deps, publisher);
		cluster.#bus = await ClusterBus.open(publisher, subscriber, cluster.processId, deps.log, (message) =>
			cluster.#receive(message)
		);
		await cluster.#directory.beat(0);
		return cluster;
	}

	private constructor(deps: ClusterRoomsDeps, redis: RedisConnection) {
		this.processId = randomUUID();
		this.#deps = deps;
		this.#leases = new RoomLeases(redis, this.processId);
		this.#directory = new ProcessDirectory(redis, this.processId);
		this.#ticker = setInterval(() => void this.#tick(), TICK_MS);
		this.#ticker.unref();
	}

	async run<E extends RoomCommandName>(
		socket: AppSocket,
		seat: RoomSeat,
		event: E,
		payload: RoomCommandPayload<E>
	): Promise<RoomCommandResult<E>> {
		if (event === 'room:join') {
			const join = payload as RoomCommandPayload<'room:join'>;
			return (await this.#join(socket, seat, join.sessionId, join)) as RoomCommandResult<E>;
		}
		const forwarded = this.#forwarded.get(socket);
		if (forwarded) return this.#forward(forwarded.owner, socket, event, payload);
		return runRoomCommand(this.#deps.live, seat, event, payload);
	}

	drop(socket: AppSocket, seat: RoomSeat): void {
		const forwarded = this.#forwarded.get(socket);
		this.#forwarded.delete(socket);
		if (forwarded) this.#bus.send(forwarded.owner, { kind: 'drop', connectionId: socket.id });
		else this.#deps.live.drop(seat);
	}

	/** This process's rooms and the other processes alive, for /healthz. */
	async status(): Promise<{ processId: string; rooms: string[]; peers: ProcessCard[] }> {
		return { processId: this.processId, rooms: this.#deps.rooms.ids(), peers: await this.#directory.peers() };
	}

	/**
	 * The process is stopping: its rooms close here, with everyone's places kept, their leases are
	 * given up, and only then are the sockets of other processes that were in them told to join
	 * again, so that the first of them takes the room over at once. Its own sockets the caller
	 * closed already: they reconnect to another process.
	 */
	async handOver(): Promise<void> {
		if (this.#leaving) return;
		this.#leaving = true;
		clearInterval(this.#ticker);
		const rooms = await Promise.all(this.#deps.rooms.ids().map((id) => this.#deps.rooms.find(id)));
		const moved = rooms.filter((room): room is Room => !!room).map((room) => this.#letGo(room));
		await Promise.all(moved.map(({ kept }) => kept));
		await Promise.all(moved.map(({ room }) => this.#leases.release(room.id)));
		for (const { connections } of moved) this.#sendAway(connections);
		await this.#directory.leave();
		for (const resolve of this.#pending.values()) resolve({ ok: false, error: { code: 'INTERNAL' } });
	}

	async #join(
		socket: AppSocket,
		seat: RoomSeat,
		roomId: string,
		payload: RoomCommandPayload<'room:join'>
	): Promise<RoomCommandResult<'room:join'>> {
		if (this.#leaving) throw new AppError('INTERNAL');
		const owner = await this.#leases.claim(roomId);
		const before = this.#forwarded.get(socket);
		if (before && (before.owner !== owner || before.roomId !== roomId)) {
			this.#forwarded.delete(socket);
			this.#bus.send(before.owner, { kind: 'drop', connectionId: socket.id });
		}
		if (owner !== this.processId) {
			// A socket is in one room at a time: one it was in here is left.
			if (seat.membership()) this.#deps.live.leave(seat);
			this.#forwarded.set(socket, { owner, roomId });
			return this.#forward(owner, socket, 'room:join', payload);
		}
		try {
			return await runRoomCommand(this.#deps.live, seat, 'room:join', payload);
		} catch (error) {
			// Nobody could join it here (not a participant, say): the lease taken for it goes.
			if (!(await this.#deps.rooms.find(roomId))) await this.#leases.release(roomId);
			throw error;
		}
	}

	#forward<E extends RoomCommandName>(
		owner: string,
		socket: AppSocket,
		event: E,
		payload: RoomCommandPayload<E>
	): Promise<RoomCommandResult<E>> {
		const id = randomUUID();
		const connection: ConnectionCard = {
			id: socket.id,
			identity: socket.data.identity,
			address: socket.handshake.address
		};
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => answered({ ok: false, error: { code: 'INTERNAL' } }), FORWARD_TIMEOUT_MS);
			const answered = (reply: Reply<unknown>) => {
				clearTimeout(timer);
				this.#pending.delete(id);
				if (reply.ok) resolve(reply.data as RoomCommandResult<E>);
				else reject(new AppError(reply.error.code, { fields: reply.error.fields }));
			};
			this.#pending.set(id, answered);
			this.#bus.send(owner, { kind: 'command', id, connection, event, payload });
		});
	}

	#receive(message: ClusterMessage): void {
		switch (message.kind) {
			case 'command':
				return void this.#runForwarded(message);
			case 'reply':
				return this.#pending.get(message.id)?.(message.reply as Reply<unknown>);
			case 'emit': {
				const socket = this.#deps.socketById(message.connectionId);
				if (socket && this.#forwarded.get(socket)?.owner === message.from) {
					(socket.emit as (event: string, ...args: unknown[]) => void)(message.event, ...message.args);
				}
				return;
			}
			case 'drop':
				return this.#dropRemote(`${message.from}/${message.connectionId}`);
			case 'relocate':
				for (const id of message.connectionIds) {
					const socket = this.#deps.socketById(id);
					if (socket && this.#forwarded.get(socket)?.owner === message.from) this.#rejoin(socket);
				}
		}
	}

	/** A command of another process's socket, in a room this process owns; answered to that process. */
	async #runForwarded(message: Extract<ClusterMessage, { kind: 'command' }>): Promise<void> {
		const { from, connection } = message;
		const key = `${from}/${connection.id}`;
		const event = message.event as RoomCommandName;
		const reply = (answer: Reply<unknown>) => this.#bus.send(from, { kind: 'reply', id: message.id, reply: answer });
		let remote = this.#remotes.get(key);
		if (!remote) {
			const owning = event === 'room:join' && !this.#leaving && (await this.#owns(message.payload));
			if (!owning) {
				reply({ ok: false, error: { code: 'INTERNAL' } });
				// Its room is no longer here: the socket joins again, wherever the room is now.
				if (event !== 'room:join') this.#bus.send(from, { kind: 'relocate', connectionIds: [connection.id] });
				return;
			}
			const remoteConnection = new RemoteConnection(from, connection, this.#bus);
			remote = { connection: remoteConnection, seat: this.#deps.connections.seatOf(remoteConnection) };
			this.#remotes.set(key, remote);
		}
		const { seat } = remote;
		reply(
			await answerCommand(
				this.#deps.log,
				event,
				[message.payload],
				(payload) => runRoomCommand(this.#deps.live, seat, event, payload as RoomCommandPayload<typeof event>),
				{ process: from }
			)
		);
	}

	/** Whether the room a forwarded join asks for is this process's (it takes the lease if nobody holds it). */
	async #owns(payload: unknown): Promise<boolean> {
		const roomId = (payload as { sessionId?: unknown })?.sessionId;
		return typeof roomId === 'string' && (await this.#leases.claim(roomId)) === this.processId;
	}

	#dropRemote(key: string): void {
		const remote = this.#remotes.get(key);
		if (!remote) return;
		this.#remotes.delete(key);
		remote.connection.disconnected = true;
		this.#deps.live.drop(remote.seat);
	}

	/**
	 * Twice a second: this process is alive; its rooms' leases are renewed (a room whose lease another
	 * took meanwhile leaves here); its sockets in rooms that changed owner, or whose owner died, join
	 * again; and the sockets of processes that died leave this process's rooms.
	 */
	async #tick(): Promise<void> {
		if (this.#ticking) return;
		this.#ticking = true;
		try {
			const roomIds = this.#deps.rooms.ids();
			await this.#directory.beat(roomIds.length);
			for (const roomId of roomIds) {
				if ((await this.#leases.claim(roomId)) === this.processId) continue;
				const room = await this.#deps.rooms.find(roomId);
				if (room) this.#sendAway(this.#letGo(room).connections);
			}
			const forwarded = [...this.#forwarded];
			const owners = await this.#leases.owners(forwarded.map(([, { roomId }]) => roomId));
			const remotes = [...this.#remotes.values()].map(({ connection }) => connection.processId);
			const alive = await this.#directory.alive([...new Set([...remotes, ...forwarded.map(([, { owner }]) => owner)])]);
			forwarded.forEach(([socket, { owner }], i) => {
				if (owners[i] !== owner || !alive.has(owner)) this.#rejoin(socket);
			});
			for (const [key, { connection }] of this.#remotes) if (!alive.has(connection.processId)) this.#dropRemote(key);
		} catch (error) {
			this.#deps.log.error({ err: error }, 'cluster upkeep failed');
		} finally {
			this.#ticking = false;
		}
	}

	/** Closes the room here, its connections forgotten rather than let go; settles once its places are kept. */
	#letGo(room: Room): { room: Room; connections: RoomConnection[]; kept: Promise<void> } {
		const connections = this.#deps.connections.release(room);
		const kept = this.#deps.rooms.kept(room);
		room.close();
		return { room, connections, kept };
	}

	/** Tells the connections of a room that left here to join again: this process's own directly, the others' through theirs. */
	#sendAway(connections: RoomConnection[]): void {
		const byProcess = new Map<string, string[]>();
		for (const connection of connections) {
			if (connection instanceof RemoteConnection) {
				this.#remotes.delete(`${connection.processId}/${connection.id}`);
				byProcess.set(connection.processId, [...(byProcess.get(connection.processId) ?? []), connection.id]);
			} else {
				this.#rejoin(connection as AppSocket);
			}
		}
		for (const [processId, connectionIds] of byProcess) this.#bus.send(processId, { kind: 'relocate', connectionIds });
	}

	/**
	 * Closes the socket's connection, not the socket: the page takes it as the server going away,
	 * reconnects and joins again, as after a restart.
	 */
	#rejoin(socket: AppSocket): void {
		this.#forwarded.delete(socket);
		socket.conn.close();
	}
}

/** A socket of another process, in a room of this one: what the room tells it goes to that process. */
class RemoteConnection implements RoomConnection {
	readonly processId: string;
	readonly id: string;
	readonly data: RoomConnection['data'];
	readonly handshake: RoomConnection['handshake'];
	disconnected = false;
	readonly #bus: ClusterBus;

	constructor(processId: string, card: ConnectionCard, bus: ClusterBus) {
		this.processId = processId;
		this.id = card.id;
		this.data = { identity: card.identity };
		this.handshake = { address: card.address };
		this.#bus = bus;
	}

	readonly emit = ((event: string, ...args: unknown[]) => {
		this.#bus.send(this.processId, { kind: 'emit', connectionId: this.id, event, args });
		return true;
	}) as RoomConnection['emit'];
}
