import { and, eq, inArray, sql } from 'drizzle-orm';
import type { SpaceId } from '#shared/realtime-events.ts';
import type { Db } from '../db/client.ts';
import { roomPlaces } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { RoomMemory, RoomPlace } from '../media/room-memory.ts';

/** How long after they were last seen people return to their place rather than to the lobby. */
export const RETURN_GRACE_SECONDS = 5 * 60;
/** How often the places of those still connected are marked as seen. */
const SEEN_EVERY_MS = 30_000;

const SPACE = /^(?:lobby|joint|caucus:[0-9a-f-]{36})$/;

/**
 * The room memory in PostgreSQL: who is where in each live room of this process, written in the
 * order the rooms tell it. Those still connected are marked as seen now and then, so that after a
 * crash everyone who was in the room counts as recently seen.
 */
export class RoomPlaces implements RoomMemory {
	readonly #db: Db;
	readonly #log: Logger;
	/** The rooms open in this process. */
	readonly #open = new Set<string>();
	/** Each room's writes, one after another. */
	readonly #writes = new Map<string, Promise<void>>();
	readonly #seen: NodeJS.Timeout;

	constructor(db: Db, log: Logger) {
		this.#db = db;
		this.#log = log;
		this.#seen = setInterval(() => this.#markSeen(), SEEN_EVERY_MS);
		this.#seen.unref();
	}

	async recall(roomId: string): Promise<Map<string, SpaceId>> {
		this.#open.add(roomId);
		await this.#writes.get(roomId);
		const places = await this.#db
			.select({ participantId: roomPlaces.participantId, space: roomPlaces.space })
			.from(roomPlaces)
			.where(
				and(
					eq(roomPlaces.sessionId, roomId),
					sql`${roomPlaces.seenAt} > now() - make_interval(secs => ${RETURN_GRACE_SECONDS})`
				)
			);
		return new Map(
			places
				.filter(({ space }) => SPACE.test(space))
				.map(({ participantId, space }) => [participantId, space as SpaceId])
		);
	}

	remember(roomId: string, peerId: string, place: RoomPlace | null): void {
		const keep = () =>
			place
				? this.#db
						.insert(roomPlaces)
						.values({ sessionId: roomId, participantId: peerId, ...place })
						.onConflictDoUpdate({
							target: [roomPlaces.sessionId, roomPlaces.participantId],
							set: { ...place, seenAt: sql`now()` }
						})
				: this.#db
						.delete(roomPlaces)
						.where(and(eq(roomPlaces.sessionId, roomId), eq(roomPlaces.participantId, peerId)));
		const written = (this.#writes.get(roomId) ?? Promise.resolve())
			.then(async () => void (await keep()))
			.catch((error) => this.#log.error({ err: error, roomId, peerId }, 'room place not kept'));
		this.#writes.set(roomId, written);
		void written.then(() => {
			if (this.#writes.get(roomId) === written) this.#writes.delete(roomId);
		});
	}

	kept(roomId: string): Promise<void> {
		return this.#writes.get(roomId) ?? Promise.resolve();
	}

	release(roomId: string): void {
		this.#open.delete(roomId);
	}

	/** Stops marking places as seen, once every place told is written. */
	async close(): Promise<void> {
		clearInterval(this.#seen);
		await Promise.all(this.#writes.values());
	}

	#markSeen(): void {
		if (!this.#open.size) return;
		this.#db
			.update(roomPlaces)
			.set({ seenAt: sql`now()` })
			.where(and(eq(roomPlaces.present, true), inArray(roomPlaces.sessionId, [...this.#open])))
			.catch((error) => this.#log.error({ err: error }, 'room places not marked as seen'));
	}
}
