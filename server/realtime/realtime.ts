import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { fromBase64 } from 'lib0/buffer';
import { Server } from 'socket.io';
import type { DraftStore } from '../agreements/draft-store.ts';
import type { LiveDraftsDeps } from '../agreements/draft-visit.ts';
import { LiveDrafts } from '../agreements/live-drafts.ts';
import type { Logger } from '../log.ts';
import type { RoomRegistry } from '../media/room-registry.ts';
import { listChatPage } from '../sessions/list-chat-page.ts';
import { LiveRooms, type LiveRoomsDeps } from '../sessions/live-rooms.ts';
import { ClusterRooms } from '../cluster/cluster-rooms.ts';
import { redisConnection } from '../cluster/redis-connection.ts';
import { registerAccountHandlers } from './account-handlers.ts';
import { authenticateHandshake, type HandshakeDeps } from './authenticate-handshake.ts';
import { registerDraftHandlers } from './draft-handlers.ts';
import { RoomConnections } from './room-connections.ts';
import type { RealtimeServer, RoomState } from './realtime-server.ts';
import { localRoomCommands, registerRoomHandlers, type RoomCommandRunner } from './room-handlers.ts';
import { SocketDraftAudience } from './socket-draft-audience.ts';

/** What the realtime server is built on: the services its handlers call, and what they are built on. */
export type RealtimeDeps = HandshakeDeps &
	LiveRoomsDeps &
	LiveDraftsDeps & { log: Logger; rooms: RoomRegistry; drafts: DraftStore };

/** Socket.io on the app's own HTTP server: same port, same services as the pages. */
export class Realtime {
	readonly #io: RealtimeServer;
	readonly #core: RealtimeDeps;
	readonly #rooms: RoomConnections;
	readonly #liveRooms: LiveRooms;
	/** Runs sockets' room commands: here, or in a cluster wherever each room's owner is. */
	#roomCommands: RoomCommandRunner;
	#cluster: ClusterRooms | undefined;
	#attached = false;
	/** The Redis connections of a cluster; none when alone. */
	#redis: { quit(): Promise<unknown> }[] = [];

	constructor(core: RealtimeDeps) {
		// Pings every 10 s, so that a connection lost without a word leaves its room within 20 s.
		this.#io = new Server({
			serveClient: false,
			maxHttpBufferSize: 1_000_000,
			pingInterval: 10_000,
			pingTimeout: 10_000
		});
		this.#io.use(authenticateHandshake(core));
		this.#core = core;
		const rooms = new RoomConnections(
			(sessionId, space) => listChatPage(core.db, sessionId, space),
			(error) => core.log.error({ err: error }, 'room relay failed')
		);
		core.rooms.on('opened', (room) => rooms.relay(room));
		this.#rooms = rooms;
		this.#liveRooms = new LiveRooms(core, rooms);
		this.#roomCommands = localRoomCommands(this.#liveRooms);
		const drafts = new LiveDrafts(core, new SocketDraftAudience(this.#io, () => this.#redis.length > 0));
		this.#io.on('connection', (socket) => {
			const { data } = socket;
			void socket.join(
				data.guest
					? [`participant:${data.guest.participantId}`]
					: [`user:${data.actor.id}`, `session:${data.sessionId}`]
			);
			registerAccountHandlers(core.log, socket);
			registerRoomHandlers(core.log, socket, this.#roomCommands, rooms.seatOf(socket));
			registerDraftHandlers(core.log, socket, drafts);
		});
	}

	/**
	 * Shares broadcasts with the other app processes on the same Redis, so that people connected to
	 * different processes are in the same draft, and each live room has one owner process that the
	 * others forward their sockets' room commands to (server/cluster).
	 */
	async joinCluster(redisUrl: string): Promise<void> {
		const publisher = redisConnection(redisUrl, this.#core.log);
		const subscriber = redisConnection(redisUrl, this.#core.log);
		await Promise.all([publisher.connect(), subscriber.connect()]);
		this.#redis = [publisher, subscriber];
		this.#io.adapter(createAdapter(publisher, subscriber));
		this.#io.on('draft:applied', (draftId, update, authors) =>
			this.#core.drafts.follow(draftId, fromBase64(update), authors)
		);
		this.#io.on('draft:awareness', (draftId, update) => this.#core.drafts.followAwareness(draftId, fromBase64(update)));
		this.#io.on('room:end', (sessionId) => void this.#endRoomHere(sessionId));
		this.#io.on('room:state', (sessionId, answer) => {
			if (typeof answer !== 'function') return;
			this.#roomStateHere(sessionId).then(answer, () => answer(null));
		});
		this.#cluster = await ClusterRooms.start(
			{
				log: this.#core.log,
				rooms: this.#core.rooms,
				live: this.#liveRooms,
				connections: this.#rooms,
				socketById: (id) => this.#io.sockets.sockets.get(id)
			},
			publisher,
			subscriber
		);
		this.#roomCommands = this.#cluster;
	}

	attach(httpServer: HttpServer): void {
		this.#io.attach(httpServer);
		this.#attached = true;
	}

	status(): { attached: boolean; connections: number } {
		return { attached: this.#attached, connections: this.#io.engine?.clientsCount ?? 0 };
	}

	/** In a cluster: this process, the rooms it owns and the other processes alive; null when alone. */
	async clusterStatus(): Promise<Awaited<ReturnType<ClusterRooms['status']>> | null> {
		return (await this.#cluster?.status()) ?? null;
	}

	/** The state of the session's room, from whichever process owns it; null when it is not open. */
	async roomState(sessionId: string): Promise<RoomState | null> {
		const here = await this.#roomStateHere(sessionId);
		if (here || !this.#cluster) return here;
		// Every other process answers, within the Redis adapter's request timeout.
		const answers: (RoomState | null)[] = await this.#io.serverSideEmitWithAck('room:state', sessionId);
		return answers.find((state) => state !== null) ?? null;
	}

	async #roomStateHere(sessionId: string): Promise<RoomState | null> {
		return (await this.#core.rooms.find(sessionId))?.dump() ?? null;
	}

	/** Tells the session's connections why, then drops them. */
	endSession(sessionId: string): void {
		this.#io.to(`session:${sessionId}`).emit('session:ended', { reason: 'logged_out' });
		this.#io.in(`session:${sessionId}`).disconnectSockets(true);
	}

	disconnectUser(userId: string): void {
		this.#io.to(`user:${userId}`).emit('session:ended', { reason: 'revoked' });
		this.#io.in(`user:${userId}`).disconnectSockets(true);
	}

	/** Lets out whoever joined by this participant's invitation (revoked, reissued, or its session cancelled). */
	disconnectParticipant(participantId: string): void {
		this.#io.to(`participant:${participantId}`).emit('session:ended', { reason: 'revoked' });
		this.#io.in(`participant:${participantId}`).disconnectSockets(true);
	}

	/** The session ended or was called off: whoever is in its room, in whichever process, is told so and let go. */
	async endRoom(sessionId: string): Promise<void> {
		if (this.#cluster) this.#io.serverSideEmit('room:end', sessionId);
		await this.#endRoomHere(sessionId);
	}

	async #endRoomHere(sessionId: string): Promise<void> {
		const room = await this.#core.rooms.find(sessionId);
		if (!room) return;
		this.#rooms.end(room);
	}

	/**
	 * Closes every client's connection; the HTTP server is closed by its owner. Only this process's
	 * connections, and closed rather than disconnected: a page takes a disconnect as being let go,
	 * and a closed connection as the server going away, to reconnect to once it is back.
	 */
	async close(): Promise<void> {
		if (this.#attached) this.#io.engine.close();
		this.#attached = false;
		// Rooms this process owns go to the others before Redis closes.
		await this.#cluster?.handOver();
		// Those leaving a draft are announced to the other processes: let that go out through Redis
		// before it is closed (a publish after would be an unhandled rejection).
		if (this.#redis.length) await new Promise((resolve) => setImmediate(resolve));
		await Promise.all(this.#redis.map((client) => client.quit()));
		this.#redis = [];
	}
}
