/**
 * The audit log's `session.joined`: one event when a person comes into a session's room, through
 * the room's socket; nothing for opening the room page (any link can make a browser do that), and
 * nothing for coming back within the same visit (another tab, a reload, a dropped connection).
 */
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { caseEvents, sessionParticipants } from '#server/db/schema.ts';
import { SAME_VISIT_MS } from '#server/sessions/record-room-join.ts';
import type { Actor } from '#shared/roles.ts';
import { load } from '../../src/routes/sessions/[id]/room/+page.server.ts';
import { setUpNetwork } from '../support/case-network.ts';
import { accountCookie, acceptedCase, mediationWithGuests } from '../support/invited-guests.ts';
import {
	connected,
	disconnected,
	socketTest,
	untyped,
	type ClientSocket,
	type Connect
} from '../support/socket-client.ts';

type RoomLoadEvent = Parameters<typeof load>[0];

const test = socketTest
	.extend('appEnv', { MEDIA_WORKERS: '1' } as Record<string, string>)
	.extend('network', async ({ app }) => setUpNetwork(app))
	.extend('caseId', async ({ app, network }) => acceptedCase(app, network))
	.extend('mediation', async ({ app, network, caseId }) => mediationWithGuests(app, network, caseId, ['applicant']));

async function joins(app: App, caseId: string) {
	const rows = await app.db
		.select()
		.from(caseEvents)
		.where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, 'session.joined')))
		.orderBy(asc(caseEvents.seq));
	return rows.map((row) => ({
		actorId: row.actorId,
		actorLabel: row.actorLabel,
		data: row.data as Record<string, unknown>
	}));
}

/** A connection that has joined the session's room. */
async function enter(connect: Connect, cookie: string, sessionId: string): Promise<ClientSocket> {
	const socket = connect({ cookie });
	await connected(socket);
	const reply = await untyped(socket).timeout(10_000).emitWithAck('room:join', { sessionId });
	if (!reply.ok) throw new Error(`room:join failed: ${JSON.stringify(reply.error)}`);
	return socket;
}

async function drop(socket: ClientSocket): Promise<void> {
	const gone = disconnected(socket);
	socket.disconnect();
	await gone;
}

/** Moves the participant's last recorded join back past the visit, as if it were long ago. */
async function longAgo(app: App, participantId: string): Promise<void> {
	await app.db
		.update(sessionParticipants)
		.set({ lastJoinedAt: new Date(Date.now() - SAME_VISIT_MS) })
		.where(eq(sessionParticipants.id, participantId));
}

/** Opens the room page as SvelteKit would for this logged-in account. */
function openPage(app: App, actor: Actor, sessionId: string) {
	const url = new URL(`http://tiaojie.test/sessions/${sessionId}/room`);
	const event = {
		locals: { app, actor },
		cookies: { get: () => undefined },
		params: { id: sessionId },
		setHeaders: () => {},
		url,
		getClientAddress: () => '198.51.100.9',
		request: new Request(url)
	} as unknown as RoomLoadEvent;
	return load(event);
}

describe('session.joined', () => {
	test('opening the room page records nothing; the socket’s join records one', async ({
		app,
		network,
		caseId,
		mediation,
		connect
	}) => {
		const before = await joins(app, caseId);

		for (let i = 0; i < 5; i++) {
			await expect(openPage(app, network.eastMediator, mediation.sessionId)).resolves.toMatchObject({
				participant: { role: 'mediator' }
			});
		}
		expect(await joins(app, caseId)).toEqual(before);

		await enter(connect, await accountCookie(app, network.eastMediator), mediation.sessionId);

		const after = await joins(app, caseId);
		expect(after).toHaveLength(before.length + 1);
		expect(after.at(-1)).toMatchObject({
			actorId: network.eastMediator.id,
			data: { sessionId: mediation.sessionId, role: 'mediator', via: 'account' }
		});
	});

	test('coming back within the visit is the same join: a second tab, a reload, a connection that dropped', async ({
		app,
		network,
		caseId,
		mediation,
		connect
	}) => {
		const cookie = await accountCookie(app, network.eastMediator);
		const first = await enter(connect, cookie, mediation.sessionId);
		const participantId = (await joins(app, caseId)).at(-1)!.data.participantId as string;
		const count = (await joins(app, caseId)).length;

		const secondTab = await enter(connect, cookie, mediation.sessionId);
		await drop(first);
		await drop(secondTab);
		// Long after the join, a connection that dropped just now comes back: still the same visit.
		await longAgo(app, participantId);
		const reconnected = await enter(connect, cookie, mediation.sessionId);
		expect(await joins(app, caseId)).toHaveLength(count);

		// Having left, and long after the last join, coming in is a new visit.
		await untyped(reconnected).timeout(10_000).emitWithAck('room:leave', {});
		await longAgo(app, participantId);
		await enter(connect, cookie, mediation.sessionId);
		expect(await joins(app, caseId)).toHaveLength(count + 1);
	});

	test('someone invited: the accepted PIN is the join, and a later visit is one more', async ({
		app,
		caseId,
		mediation,
		connect
	}) => {
		const [guest] = mediation.guests;
		const atPin = await joins(app, caseId);
		expect(atPin.at(-1)).toMatchObject({ actorLabel: guest.name, data: { via: 'invitation' } });

		const socket = await enter(connect, guest.cookie, mediation.sessionId);
		expect(await joins(app, caseId)).toHaveLength(atPin.length);

		await untyped(socket).timeout(10_000).emitWithAck('room:leave', {});
		await longAgo(app, guest.participantId);
		await enter(connect, guest.cookie, mediation.sessionId);
		const later = await joins(app, caseId);
		expect(later).toHaveLength(atPin.length + 1);
		expect(later.at(-1)).toMatchObject({
			actorId: null,
			actorLabel: guest.name,
			data: { participantId: guest.participantId, role: 'party', via: 'invitation' }
		});
	});
});
