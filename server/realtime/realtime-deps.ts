import type { DraftStore } from '../agreements/draft-store.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import type { RoomRegistry } from '../media/room-registry.ts';
import type { AgreementSealer } from '../signing/agreement-sealer.ts';

/** The services that socket commands reach: what the realtime server and its handlers are built on. */
export type RealtimeDeps = {
	readonly config: Config;
	readonly log: Logger;
	readonly db: Db;
	readonly loginThrottle: LoginThrottle;
	readonly rooms: RoomRegistry;
	readonly drafts: DraftStore;
	readonly sealer: AgreementSealer;
	readonly events: DomainEvents;
};
