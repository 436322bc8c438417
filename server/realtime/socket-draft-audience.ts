import { toBase64 } from 'lib0/buffer';
import type { DraftAudience, DraftFact } from '../agreements/draft-audience.ts';
import type { DraftAuthor } from '../agreements/draft-role.ts';
import type { RealtimeServer } from './realtime-server.ts';

const roomOf = (draftId: string) => `draft:${draftId}`;

/**
 * Live drafts' audience on Socket.io: a draft is a Socket.io room, which the Redis adapter of a
 * cluster spans, and a connection is a socket of this process, by its id.
 */
export class SocketDraftAudience implements DraftAudience {
	readonly #io: RealtimeServer;
	/** Whether other processes are listening (none when alone). */
	readonly #clustered: () => boolean;

	constructor(io: RealtimeServer, clustered: () => boolean) {
		this.#io = io;
		this.#clustered = clustered;
	}

	async enter(draftId: string, connection: string): Promise<void> {
		await this.#socket(connection)?.join(roomOf(draftId));
	}

	async leave(draftId: string, connection: string): Promise<void> {
		await this.#socket(connection)?.leave(roomOf(draftId));
	}

	toConnection(connection: string, ...[event, fact]: DraftFact): void {
		this.#socket(connection)?.emit(event, fact as never);
	}

	toOthers(draftId: string, connection: string, ...[event, fact]: DraftFact): void {
		this.#io
			.to(roomOf(draftId))
			.except(connection)
			.emit(event, fact as never);
	}

	toEveryone(draftId: string, ...[event, fact]: DraftFact): void {
		this.#io.to(roomOf(draftId)).emit(event, fact as never);
	}

	applied(draftId: string, update: Uint8Array, authors: [number, DraftAuthor][]): void {
		if (this.#clustered()) this.#io.serverSideEmit('draft:applied', draftId, toBase64(update), authors);
	}

	awareness(draftId: string, update: Uint8Array): void {
		if (this.#clustered()) this.#io.serverSideEmit('draft:awareness', draftId, toBase64(update));
	}

	#socket(connection: string) {
		return this.#io.sockets.sockets.get(connection);
	}
}
