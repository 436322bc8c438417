/**
 * The browser's draft provider against the real server: it opens the draft, runs the sync
 * handshake, sends local changes and counts them saved only when acknowledged, follows others'
 * changes, merges offline edits after a reconnection, brings its presence back, and sends nothing
 * for someone who may not write.
 */
import { io } from 'socket.io-client';
import { describe, expect, onTestFinished, vi } from 'vitest';
import * as Y from 'yjs';
import { DraftStore } from '#server/agreements/draft-store.ts';
import type { App } from '#server/app.ts';
import { DraftProvider } from '../../src/lib/drafting/draft-provider.svelte.ts';
import { ask, type CommandSocket } from '../../src/lib/realtime/command-client.ts';
import { DraftClient, paragraph, paragraphText, setUpDraftCase } from '../support/draft-client.ts';
import { connected, socketTest } from '../support/socket-client.ts';

/** A provider of the case's draft, started, on a connection of its own that the test may drop. */
type NewProvider = (cookie: string) => { provider: DraftProvider; socket: CommandSocket };

const test = socketTest
	.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>)
	.extend('world', async ({ app }) => setUpDraftCase(app))
	.extend('provider', async ({ app, world }, { onCleanup }): Promise<NewProvider> => {
		const url = await app.listen();
		const providers: DraftProvider[] = [];
		onCleanup(() => providers.forEach((provider) => provider.destroy()));
		return (cookie) => {
			const socket: CommandSocket = io(url, {
				transports: ['websocket'],
				autoConnect: false,
				forceNew: true,
				extraHeaders: { cookie }
			});
			const provider = new DraftProvider({ caseId: world.caseId }, socket);
			providers.push(provider);
			provider.start();
			return { provider, socket };
		};
	});

const serverText = async (app: App, draftId: string) => DraftStore.contentOf((await app.drafts.live(draftId)).doc).text;
const textOf = (provider: DraftProvider) => DraftStore.contentOf(provider.doc).text;

/** A change made in the provider's document, as the editor makes it (any origin but the provider's). */
const write = (provider: DraftProvider, change: (fragment: Y.XmlFragment) => void) =>
	provider.doc.transact(() => change(provider.doc.getXmlFragment('agreement')), 'editor');

async function loaded(provider: DraftProvider): Promise<void> {
	await vi.waitFor(() => expect(provider.loaded && provider.status).toBe('saved'));
}

describe('the draft provider', () => {
	test('opens and syncs the draft, saves local changes once acknowledged, and follows others’ changes', async ({
		app,
		world: draftCase,
		connect,
		provider
	}) => {
		const { provider: mediator } = provider(draftCase.cookies.mediator);
		await loaded(mediator);
		expect(mediator.snapshot).toMatchObject({ role: 'mediator', partiesMayEdit: false });
		expect(mediator.access).toBe('edit');
		const draftId = mediator.snapshot!.draftId;
		expect(textOf(mediator)).toBe(await serverText(app, draftId));

		const socket = connect({ cookie: draftCase.cookies.expert });
		await connected(socket);
		const expert = new DraftClient(socket);
		onTestFinished(() => expert.destroy());
		expect((await expert.open(draftCase.caseId)).ok).toBe(true);
		await expert.sync();

		write(mediator, (fragment) => fragment.push([paragraph('【调解员段落】')]));
		expect(mediator.status).toBe('saving');
		await vi.waitFor(() => expect(mediator.status).toBe('saved'));
		// Saved means stored: the server's document has it already.
		expect(await serverText(app, draftId)).toContain('【调解员段落】');
		await vi.waitFor(() => expect(expert.text).toContain('【调解员段落】'));

		expect((await expert.append('【专家段落】')).ok).toBe(true);
		await vi.waitFor(() => expect(textOf(mediator)).toContain('【专家段落】'));

		// Fast typing goes out in batches, every character kept.
		for (const character of '甲方同意')
			write(mediator, (f) => {
				const line = paragraphText(f, '【调解员段落】');
				line.insert(line.length, character);
			});
		await vi.waitFor(() => expect(mediator.status).toBe('saved'));
		expect(await serverText(app, draftId)).toContain('【调解员段落】甲方同意');
		expect(mediator.lastError).toBeNull();
	});

	test('edits made offline, and others’ edits meanwhile, end up everywhere after reconnecting; presence returns', async ({
		app,
		world: draftCase,
		connect,
		provider
	}) => {
		const { provider: mediator, socket: dropped } = provider(draftCase.cookies.mediator);
		await loaded(mediator);
		const draftId = mediator.snapshot!.draftId;
		write(mediator, (fragment) => fragment.push([paragraph('【共同段落】')]));
		await vi.waitFor(() => expect(mediator.status).toBe('saved'));

		const socket = connect({ cookie: draftCase.cookies.expert });
		await connected(socket);
		const expert = new DraftClient(socket);
		onTestFinished(() => expert.destroy());
		expect((await expert.open(draftCase.caseId)).ok).toBe(true);
		await expert.sync();
		mediator.awareness.setLocalStateField('user', { name: '任意', color: '#000000' });
		await vi.waitFor(() => expect(expert.others().get(mediator.doc.clientID)).toBeDefined());
		await vi.waitFor(() => expect(mediator.people.map((person) => person.self)).toEqual([true]));

		// The connection drops (the ack of anything in flight with it).
		dropped.disconnect();
		await vi.waitFor(() => expect(mediator.status).toBe('offline'));
		await vi.waitFor(() => expect(expert.others().has(mediator.doc.clientID)).toBe(false));
		write(mediator, (f) => paragraphText(f, '【共同段落】').insert(6, '离线一'));
		write(mediator, (f) => f.push([paragraph('【离线新段】')]));
		expect(mediator.unsaved).toBe(true);
		expect((await expert.type('【共同段落】', '在线一')).ok).toBe(true);

		dropped.connect();
		await vi.waitFor(() => expect(mediator.status).toBe('saved'));
		const text = await serverText(app, draftId);
		for (const part of ['离线一', '【离线新段】', '在线一']) expect(text).toContain(part);
		await vi.waitFor(() => {
			expect(textOf(mediator)).toBe(text);
			expect(expert.text).toBe(text);
		});
		// The presence lost with the connection is back, under the name the server knows.
		await vi.waitFor(() =>
			expect(expert.others().get(mediator.doc.clientID)).toMatchObject({ user: { name: 'east-mediator-名' } })
		);
	});

	test('a party who may only suggest sends nothing and is told the draft has not started; allowed to edit, their changes are saved', async ({
		app,
		world: draftCase,
		connect,
		provider
	}) => {
		const { provider: party } = provider(draftCase.applicant.cookie);
		await vi.waitFor(() => expect(party.unavailable).toBe('CONFLICT'));
		expect(party.snapshot).toBeNull();

		const socket = connect({ cookie: draftCase.cookies.mediator });
		await connected(socket);
		const mediator = new DraftClient(socket);
		onTestFinished(() => mediator.destroy());
		expect((await mediator.open(draftCase.caseId)).ok).toBe(true);
		await mediator.sync();
		const draftId = mediator.draftId;

		const { provider: late } = provider(draftCase.applicant.cookie);
		await loaded(late);
		expect(late.snapshot!.role).toBe('party');
		expect(late.access).toBe('suggest');
		const before = await serverText(app, draftId);
		// Nothing the person does changes a read-only editor; were anything to change the document
		// here all the same, it is kept from the server, and this copy stops writing until reloaded.
		write(late, (fragment) => fragment.push([paragraph('【当事人擅自】')]));
		expect(late.status).toBe('saved');
		expect(late.diverged).toBe(true);
		expect(late.lastError).toBeNull();

		await ask(socket, 'draft:setPartiesMayEdit', { draftId, allowed: true });
		await vi.waitFor(() => expect(late.access).toBe('edit'));
		expect(late.writable).toBe(false);
		expect(await serverText(app, draftId)).toBe(before);

		const { provider: reloaded } = provider(draftCase.applicant.cookie);
		await loaded(reloaded);
		expect(reloaded.writable).toBe(true);
		write(reloaded, (fragment) => fragment.push([paragraph('【当事人补充】')]));
		await vi.waitFor(() => expect(reloaded.status).toBe('saved'));
		const text = await serverText(app, draftId);
		expect(text).toContain('【当事人补充】');
		expect(text).not.toContain('【当事人擅自】');
		expect(reloaded.lastError).toBeNull();
		expect(reloaded.authorName(reloaded.doc.clientID)).toBe('李秀英');
	});
});
