import type { ServerToClientEvents } from '#shared/realtime-events.ts';
import type { DraftAuthor } from './draft-role.ts';

type DraftFacts = Pick<ServerToClientEvents, 'draft:sync' | 'draft:awareness' | 'draft:changed' | 'draft:comment'>;

/** A fact about a draft, as its people are told it: the event and what it says. */
export type DraftFact = { [E in keyof DraftFacts]: [event: E, fact: Parameters<DraftFacts[E]>[0]] }[keyof DraftFacts];

/**
 * How live drafts reach the people in them, whatever carries it: the transport knows which
 * connection is in which draft, here and in the other processes of a cluster. Connections are
 * named by an id the transport gives them.
 */
export type DraftAudience = {
	/** The connection hears what is said in the draft from now on. */
	enter(draftId: string, connection: string): Promise<void>;
	/** The connection no longer hears of the draft. */
	leave(draftId: string, connection: string): Promise<void>;
	toConnection(connection: string, ...fact: DraftFact): void;
	/** Everyone in the draft, in every process, but this connection. */
	toOthers(draftId: string, connection: string, ...fact: DraftFact): void;
	/** Everyone in the draft, in every process. */
	toEveryone(draftId: string, ...fact: DraftFact): void;
	/** Tells the other processes of an update stored and applied here, with its authors (nothing when alone). */
	applied(draftId: string, update: Uint8Array, authors: [number, DraftAuthor][]): void;
	/** Tells the other processes that someone's presence here changed, so that newcomers there are shown it too. */
	awareness(draftId: string, update: Uint8Array): void;
};
