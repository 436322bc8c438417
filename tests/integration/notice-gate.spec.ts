/**
 * The rights and duties notice at the door of a mediation's joint space (2002 Rules art. 30): a
 * party who has not acknowledged the version in force waits in the lobby, whatever the host
 * does, until they acknowledge it on their room page. Helpers: tests/support/room-peers.ts.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { caseEvents } from '#server/db/schema.ts';
import { noticeForCase } from '#server/notice/current-notice.ts';
import { reviseNotice } from '#server/notice/revise-notice.ts';
import { JOIN_COOKIE } from '#server/sessions/participant-of.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { actions } from '../../src/routes/sessions/[id]/room/+page.server.ts';
import { mediationWithGuests, type Guest } from '../support/invited-guests.ts';
import { dumpOf, enter, nextFact, peerIn, sync, test } from '../support/room-peers.ts';
import { codeOf, replyOf } from '../support/socket-client.ts';

type ActionEvent = Parameters<(typeof actions)['acknowledgeNotice']>[0];
const ADDRESS = '198.51.100.23';

/** The guest submits the notice step of their room page, as the browser would post it. */
async function acknowledge(app: App, sessionId: string, guest: Guest, fields: Record<string, string>) {
	const url = new URL(`http://tiaojie.test/sessions/${sessionId}/room?/acknowledgeNotice`);
	const token = guest.cookie.slice(`${JOIN_COOKIE}=`.length);
	const event = {
		locals: { app, actor: null },
		cookies: { get: (name: string) => (name === JOIN_COOKIE ? token : undefined) },
		params: { id: sessionId },
		url,
		getClientAddress: () => ADDRESS,
		request: new Request(url, { method: 'POST', body: new URLSearchParams(fields) })
	} as unknown as ActionEvent;
	return actions.acknowledgeNotice(event);
}

const unacknowledged = (app: App, network: Parameters<typeof mediationWithGuests>[1], caseId: string) =>
	mediationWithGuests(app, network, caseId, ['applicant', 'respondent'], { acknowledged: false });

describe('the notice gate', () => {
	test('a party who has not acknowledged the notice is not admitted, nor by admit-all, until they acknowledge it', async ({
		app,
		network,
		caseId,
		mediatorCookie,
		connect
	}) => {
		const { sessionId, guests } = await unacknowledged(app, network, caseId);
		const [applicant, respondent] = guests;
		const mediator = await enter(connect, mediatorCookie, sessionId);
		expect(mediator.snapshot.self.noticePending).toBe(false);
		const joined = nextFact(mediator.socket, 'room:peerJoined');
		const party = await enter(connect, applicant.cookie, sessionId);
		expect(party.snapshot.self).toMatchObject({ space: 'lobby', noticePending: true });
		// The host sees why the party waits.
		expect(await joined).toMatchObject({ id: party.id, noticePending: true });

		expect(codeOf(await replyOf(ask(mediator.socket, 'room:admit', { peerId: party.id })))).toBe(
			'NOTICE_NOT_ACKNOWLEDGED'
		);
		expect(await ask(mediator.socket, 'room:admitAll', {})).toEqual({});
		expect(peerIn(await dumpOf(app, sessionId), party.id).space).toBe('lobby');

		const { sha256 } = await noticeForCase(app.db, caseId);
		expect(await acknowledge(app, sessionId, applicant, { sha256, sessionChoice: 'closed' })).toMatchObject({
			done: 'notice',
			version: 1
		});
		const moved = nextFact(party.socket, 'room:peerMoved', (move) => move.peerId === party.id);
		expect(await ask(mediator.socket, 'room:admit', { peerId: party.id })).toEqual({});
		expect(await moved).toMatchObject({ from: 'lobby', space: 'joint' });

		// Admit-all lets in those who acknowledged, and leaves the others waiting.
		const other = await enter(connect, respondent.cookie, sessionId);
		expect(await ask(mediator.socket, 'room:admitAll', {})).toEqual({});
		await sync(mediator, other);
		expect(peerIn(await dumpOf(app, sessionId), other.id).space).toBe('lobby');
	});

	test('acknowledging is an audit event with the version, its SHA-256, the choice and the address', async ({
		app,
		network,
		caseId
	}) => {
		const { sessionId, guests } = await unacknowledged(app, network, caseId);
		const notice = await noticeForCase(app.db, caseId);
		// Only the text in force is acknowledged; bad input changes nothing.
		const refusals = await Promise.all([
			acknowledge(app, sessionId, guests[0], { sha256: 'f'.repeat(64), sessionChoice: 'public' }),
			acknowledge(app, sessionId, guests[0], { sha256: notice.sha256 }),
			acknowledge(app, sessionId, guests[0], { sha256: notice.sha256, sessionChoice: 'open to all' })
		]);
		expect(refusals.map((refusal) => (refusal as { data: { code: string } }).data.code)).toEqual([
			'CONFLICT',
			'VALIDATION',
			'VALIDATION'
		]);
		await acknowledge(app, sessionId, guests[0], { sha256: notice.sha256, sessionChoice: 'public' });
		const events = await app.db
			.select()
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, 'notice.acknowledged')));
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({
			actorId: null,
			actorLabel: guests[0].name,
			ip: ADDRESS,
			data: { version: 1, sha256: notice.sha256, sessionChoice: 'public', via: 'invitation' }
		});
		expect(notice.sha256).toMatch(/^[0-9a-f]{64}$/);
	});

	test('once an admin revises the text, an acknowledgement of the old one does not count: back to the lobby', async ({
		app,
		network,
		caseId,
		session,
		mediatorCookie,
		connect
	}) => {
		const mediator = await enter(connect, mediatorCookie, session.sessionId);
		const applicant = await enter(connect, session.applicant.cookie, session.sessionId);
		const respondent = await enter(connect, session.respondent.cookie, session.sessionId);
		expect(applicant.snapshot.self.noticePending).toBe(false);
		expect(await ask(mediator.socket, 'room:admit', { peerId: applicant.id })).toEqual({});

		const old = await noticeForCase(app.db, caseId);
		const revised = await reviseNotice(app, network.admin, {
			committeeId: network.committees.east.id,
			bodyZh: `${old.bodyZh}\n\n调解过程中请关闭手机铃声。`,
			bodyEn: old.bodyEn
		});
		expect(revised.version).toBe(2);

		// The respondent waiting in the lobby acknowledged the old text only.
		expect(codeOf(await replyOf(ask(mediator.socket, 'room:admit', { peerId: respondent.id })))).toBe(
			'NOTICE_NOT_ACKNOWLEDGED'
		);
		// The applicant, in the joint space, stays; coming back after a dropped connection, they wait in the lobby.
		applicant.socket.disconnect();
		const again = await enter(connect, session.applicant.cookie, session.sessionId);
		expect(again.snapshot.self).toMatchObject({ space: 'lobby', noticePending: true });

		expect(
			await acknowledge(app, session.sessionId, session.respondent, { sha256: old.sha256, sessionChoice: 'public' })
		).toMatchObject({ data: { code: 'CONFLICT' } });
		expect(
			await acknowledge(app, session.sessionId, session.respondent, {
				sha256: revised.sha256,
				sessionChoice: 'public'
			})
		).toMatchObject({ version: 2 });
		expect(await ask(mediator.socket, 'room:admit', { peerId: respondent.id })).toEqual({});
		expect(codeOf(await replyOf(ask(mediator.socket, 'room:admit', { peerId: again.id })))).toBe(
			'NOTICE_NOT_ACKNOWLEDGED'
		);
	});

	test('a mediator goes straight into the joint space, and only a party of the case acknowledges', async ({
		app,
		network,
		caseId,
		mediatorCookie,
		connect
	}) => {
		const { sessionId } = await unacknowledged(app, network, caseId);
		const mediator = await enter(connect, mediatorCookie, sessionId);
		expect(mediator.snapshot.self).toMatchObject({ space: 'joint', noticePending: false });
		const url = new URL(`http://tiaojie.test/sessions/${sessionId}/room?/acknowledgeNotice`);
		const { sha256 } = await noticeForCase(app.db, caseId);
		const asMediator = {
			locals: { app, actor: network.eastMediator },
			cookies: { get: () => undefined },
			params: { id: sessionId },
			url,
			getClientAddress: () => ADDRESS,
			request: new Request(url, { method: 'POST', body: new URLSearchParams({ sha256, sessionChoice: 'public' }) })
		} as unknown as ActionEvent;
		expect(await actions.acknowledgeNotice(asMediator)).toMatchObject({ data: { code: 'FORBIDDEN' } });
	});
});
