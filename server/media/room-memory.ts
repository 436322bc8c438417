import type { SpaceId } from '#shared/realtime-events.ts';

/** Where a peer of a room is: in which space, and whether connected now. */
export type RoomPlace = { space: SpaceId; present: boolean };

/**
 * What a room's places are kept in beyond this process, so that people coming back after a restart
 * (or to another process) return where they were. The registry recalls them when it opens a room
 * and tells every change; the room itself knows nothing of where they are kept.
 */
export type RoomMemory = {
	/** Where the peers of the room were, for those still within the grace period. */
	recall(roomId: string): Promise<Map<string, SpaceId>>;
	/** A peer's place changed; `null` when they left for good. Kept in the order told. */
	remember(roomId: string, peerId: string, place: RoomPlace | null): void;
	/** Settles once every change told of the room is kept. */
	kept(roomId: string): Promise<void>;
	/** The room closed in this process: its places stay for whoever opens it next. */
	release(roomId: string): void;
	/** Once every change told is kept. */
	close(): Promise<void>;
};
