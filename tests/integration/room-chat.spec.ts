/**
 * Room chat under load: how much one person may say and how fast, and how much of what was said a
 * newcomer is sent. Real sockets, the real server, a real database.
 */
import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { describe, expect, onTestFinished, vi } from 'vitest';
import { sessionMessages, sessionParticipants } from '#server/db/schema.ts';
import { CHAT_LIMITS, type ChatMessage, type ChatPage, type SpaceId } from '#shared/realtime-events.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { setUpNetwork } from '../support/case-network.ts';
import { accountCookie, acceptedCase, mediationWithGuests } from '../support/invited-guests.ts';
import { connected, replyOf, socketTest, whoami, type ClientSocket, type Connect } from '../support/socket-client.ts';

const test = socketTest
	.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>)
	.extend('network', async ({ app }) => setUpNetwork(app))
	.extend('mediation', async ({ app, network }) =>
		mediationWithGuests(app, network, await acceptedCase(app, network), ['applicant'])
	)
	.extend('mediatorCookie', async ({ app, network }) => accountCookie(app, network.eastMediator));

type History = ChatPage & { space: SpaceId };

/**
 * Connects and joins the room, admitted by the mediator if it waits in the lobby; resolves once the
 * chat history of the space it is in has come.
 */
async function enter(connect: Connect, cookie: string, sessionId: string, mediator?: ClientSocket) {
	const socket = connect({ cookie });
	const heard: ChatMessage[] = [];
	socket.on('room:chat', (message) => heard.push(message));
	await connected(socket);
	const nextHistory = () => new Promise<History>((resolve) => socket.once('room:chatHistory', resolve));
	const arrived = nextHistory();
	const id = (await ask(socket, 'room:join', { sessionId })).self.id;
	let history = await arrived;
	if (history.space === 'lobby' && mediator) {
		const admitted = nextHistory();
		await ask(mediator, 'room:admit', { peerId: id });
		history = await admitted;
	}
	return { socket, id, heard, history };
}

describe('chat rate', () => {
	test('one person sending a flood has a handful stored and relayed, the rest refused', async ({
		app,
		connect,
		mediation,
		mediatorCookie
	}) => {
		const mediator = await enter(connect, mediatorCookie, mediation.sessionId);
		const applicant = await enter(connect, mediation.guests[0].cookie, mediation.sessionId, mediator.socket);
		expect(applicant.history.space).toBe('joint');
		// The allowance refills with time: stopped, what it lets through no longer depends on the machine's speed.
		const clock = vi.spyOn(performance, 'now').mockReturnValue(performance.now());
		onTestFinished(() => clock.mockRestore());

		const replies = await Promise.all(
			Array.from({ length: 30 }, (_, i) => replyOf(ask(applicant.socket, 'room:chat', { body: `第${i}条` })))
		);
		const sent = replies.filter((reply) => reply.ok);
		const refused = replies.filter((reply) => !reply.ok);

		expect(sent).toHaveLength(CHAT_LIMITS.burst);
		expect(new Set(refused.map((reply) => !reply.ok && reply.error.code))).toEqual(new Set(['RATE_LIMITED']));
		const [stored] = await app.db
			.select({ n: count() })
			.from(sessionMessages)
			.where(eq(sessionMessages.sessionId, mediation.sessionId));
		expect(stored.n).toBe(sent.length);
		// A round trip on the mediator's connection brings in every relay sent before it.
		await whoami(mediator.socket);
		expect(mediator.heard).toHaveLength(sent.length);

		// A new connection of the same person starts with what was left, not a full allowance.
		applicant.socket.disconnect();
		const again = await enter(connect, mediation.guests[0].cookie, mediation.sessionId, mediator.socket);
		expect(again.history.space).toBe('joint');
		expect(await replyOf(ask(again.socket, 'room:chat', { body: '我又来了' }))).toEqual({
			ok: false,
			error: { code: 'RATE_LIMITED' }
		});
		// Others keep their own allowance.
		expect(await replyOf(ask(mediator.socket, 'room:chat', { body: '请注意发言频率。' }))).toMatchObject({ ok: true });
	});

	test('a message over the longest allowed is refused and stored nowhere', async ({
		app,
		connect,
		mediation,
		mediatorCookie
	}) => {
		const mediator = await enter(connect, mediatorCookie, mediation.sessionId);

		const reply = await replyOf(ask(mediator.socket, 'room:chat', { body: '长'.repeat(CHAT_LIMITS.length + 1) }));

		expect(reply).toEqual({ ok: false, error: { code: 'VALIDATION', fields: { body: ['too_long'] } } });
		expect(await app.db.select().from(sessionMessages)).toEqual([]);
	});
});

describe('chat history', () => {
	test('a newcomer gets the latest page; earlier pages come on request, back to the first', async ({
		app,
		connect,
		mediation,
		mediatorCookie,
		network
	}) => {
		const [author] = await app.db
			.select()
			.from(sessionParticipants)
			.where(
				and(
					eq(sessionParticipants.sessionId, mediation.sessionId),
					eq(sessionParticipants.userId, network.eastMediator.id)
				)
			);
		const total = CHAT_LIMITS.page * 2 + 7;
		const start = Date.now() - total * 1000;
		const said = await app.db
			.insert(sessionMessages)
			.values(
				Array.from({ length: total }, (_, i) => ({
					sessionId: mediation.sessionId,
					participantId: author.id,
					space: 'joint',
					body: `消息${i}`,
					createdAt: new Date(start + i * 1000)
				}))
			)
			.returning({ id: sessionMessages.id, body: sessionMessages.body });
		const bodies = said.map((message) => message.body);

		const mediator = await enter(connect, mediatorCookie, mediation.sessionId);

		expect(mediator.history.space).toBe('joint');
		expect(mediator.history.more).toBe(true);
		expect(mediator.history.messages.map((message) => message.body)).toEqual(bodies.slice(-CHAT_LIMITS.page));

		const pages: ChatPage[] = [];
		let earliest = mediator.history.messages[0].id;
		for (let more = true; more;) {
			const page = await ask(mediator.socket, 'room:chatEarlier', { before: earliest });
			pages.push(page);
			earliest = page.messages[0]?.id;
			more = page.more;
		}
		expect(pages.map((page) => page.messages.map((message) => message.body))).toEqual([
			bodies.slice(7, total - CHAT_LIMITS.page),
			bodies.slice(0, 7)
		]);
		// A cursor that is no message of this space finds nothing; one that is no id at all is refused.
		expect(await replyOf(ask(mediator.socket, 'room:chatEarlier', { before: randomUUID() }))).toEqual({
			ok: true,
			data: { messages: [], more: false }
		});
		expect(await replyOf(ask(mediator.socket, 'room:chatEarlier', { before: 'latest' }))).toMatchObject({
			ok: false,
			error: { code: 'VALIDATION' }
		});
	});
});
