/**
 * What the live draft tests check: everyone in a draft converged on the same document, the
 * server's copy and a reload from the database included.
 */
import { expect } from 'vitest';
import { DraftStore } from '#server/agreements/draft-store.ts';
import type { App } from '#server/app.ts';
import { fingerprint, opened, roundTrip, type DraftCase, type DraftClient, type NewClient } from './draft-client.ts';

/** The mediator (who starts the draft) and the invited legal expert, both in sync. */
export async function editors(client: NewClient, world: DraftCase): Promise<[DraftClient, DraftClient]> {
	const mediator = await opened(client, world.cookies.mediator, world.caseId);
	const expert = await opened(client, world.cookies.expert, world.caseId);
	return [mediator, expert];
}

export const serverDoc = async (app: App, draftId: string) => (await app.drafts.live(draftId)).doc;

/** The draft as a new process would load it from the database: snapshot plus updates. */
export async function reloaded(app: App, draftId: string) {
	const draft = await new DraftStore(app.database, app.log).live(draftId);
	const print = fingerprint(draft.doc);
	draft.doc.destroy();
	return print;
}

/** Everyone has the same document: the clients, the server's copy, and a reload from the database. */
export async function expectConverged(app: App, clients: DraftClient[]) {
	await Promise.all(clients.map((c) => c.settled()));
	await roundTrip(...clients.map((c) => c.socket));
	const draftId = clients[0].draftId;
	const expected = fingerprint(await serverDoc(app, draftId));
	for (const c of clients) expect(fingerprint(c.doc)).toEqual(expected);
	expect(await reloaded(app, draftId)).toEqual(expected);
	return expected;
}
