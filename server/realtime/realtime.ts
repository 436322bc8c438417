import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '#shared/realtime-events.ts';
import type { AppCore } from '../app.ts';
import { authenticateHandshake, type SocketData } from './authenticate-handshake.ts';
import { registerAccountHandlers } from './account-handlers.ts';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Socket.io on the app's own HTTP server: same port, same services as the pages. */
export class Realtime {
	readonly #io: RealtimeServer;
	#attached = false;

	constructor(core: AppCore) {
		this.#io = new Server({ serveClient: false, maxHttpBufferSize: 1_000_000 });
		this.#io.use(authenticateHandshake(core));
		this.#io.on('connection', (socket) => {
			const { data } = socket;
			void socket.join(
				data.guest
					? [`participant:${data.guest.participantId}`]
					: [`user:${data.actor.id}`, `session:${data.sessionId}`]
			);
			registerAccountHandlers(core, socket);
		});
	}

	attach(httpServer: HttpServer): void {
		this.#io.attach(httpServer);
		this.#attached = true;
	}

	status(): { attached: boolean; connections: number } {
		return { attached: this.#attached, connections: this.#io.engine?.clientsCount ?? 0 };
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

	/** Disconnects every client; the HTTP server is closed by its owner. */
	async close(): Promise<void> {
		this.#io.disconnectSockets(true);
		if (this.#attached) this.#io.engine.close();
		this.#attached = false;
	}
}
