import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '#shared/realtime-events.ts';
import type { DraftAuthor } from '../agreements/draft-role.ts';
import type { Room } from '../media/room.ts';
import type { ServerMedia } from '../media/server-media.ts';
import type { SocketData } from './authenticate-handshake.ts';

/** What the app processes of a cluster tell each other. */
type ClusterEvents = {
	/**
	 * An update one process applied: the others apply it to their copy of the draft. In base64:
	 * the Redis adapter sends these as JSON, which would turn bytes into an object of numbers.
	 */
	'draft:applied': (draftId: string, update: string, authors: [number, DraftAuthor][]) => void;
	/** Someone's presence in a draft, as an awareness update in base64: each process's copy follows. */
	'draft:awareness': (draftId: string, update: string) => void;
	/** A session ended or was called off: the process owning its room lets everyone in it go. */
	'room:end': (sessionId: string) => void;
	/** The state of a session's room, answered by the process that owns it (the others answer null). */
	'room:state': (sessionId: string, answer: (state: RoomState | null) => void) => void;
};

/** A room's live state, for its hosts' diagnosis: who is in which space, and what each one sends and receives. */
export type RoomState = ReturnType<Room['dump']>;

export type RealtimeServer = Server<
	ClientToServerEvents<ServerMedia>,
	ServerToClientEvents<ServerMedia>,
	ClusterEvents,
	SocketData
>;
