/**
 * Who may open a socket at all, before any command: pages of the app's own origin only, and a
 * bounded number of connections per invitation and per account.
 */
import { describe, expect } from 'vitest';
import { setUpNetwork } from '../support/case-network.ts';
import { accountCookie, acceptedCase, mediationWithGuests } from '../support/invited-guests.ts';
import {
	connected,
	disconnected,
	refusal,
	socketTest,
	type ClientSocket,
	type Connect
} from '../support/socket-client.ts';

const test = socketTest.extend('network', async ({ app }) => setUpNetwork(app));

/** Opens `count` connections at once and waits for each to be accepted or refused. */
async function openAtOnce(connect: Connect, cookie: string, count: number) {
	const sockets = Array.from({ length: count }, () => connect({ cookie }));
	const outcomes = await Promise.all(
		sockets.map((socket) =>
			connected(socket).then(
				() => 'connected',
				(error: Error) => error.message
			)
		)
	);
	return { sockets, outcomes };
}

const count = (outcomes: string[], outcome: string) => outcomes.filter((o) => o === outcome).length;

describe('origin', () => {
	test('the app’s own pages and programs without an Origin connect; other origins are FORBIDDEN', async ({
		app,
		network,
		serverUrl,
		connect
	}) => {
		const cookie = await accountCookie(app, network.eastMediator);
		const otherPort = new URL(serverUrl);
		otherPort.port = String(Number(otherPort.port) + 1);

		await connected(connect({ cookie, headers: { origin: serverUrl } }));
		await connected(connect({ cookie }));
		for (const origin of [otherPort.origin, 'http://evil.example', 'https://127.0.0.1', 'null', 'garbage']) {
			const error = await refusal(connect({ cookie, headers: { origin } }));
			expect(error.message, origin).toBe('FORBIDDEN');
			expect(error.data).toEqual({ code: 'FORBIDDEN' });
		}
	});

	describe('with ORIGIN and EXTRA_ORIGINS', () => {
		test.override('appEnv', {
			ORIGIN: 'https://tiaojie.example.gov.cn',
			EXTRA_ORIGINS: 'http://tiaojie.intranet:8080, https://mirror.example.gov.cn/'
		});

		test('only those origins connect, not the address the request happened to reach', async ({
			app,
			network,
			serverUrl,
			connect
		}) => {
			const cookie = await accountCookie(app, network.eastMediator);
			for (const origin of [
				'https://tiaojie.example.gov.cn',
				'http://tiaojie.intranet:8080',
				'https://mirror.example.gov.cn'
			]) {
				await connected(connect({ cookie, headers: { origin } }));
			}
			for (const origin of [serverUrl, 'http://tiaojie.example.gov.cn', 'https://evil.tiaojie.example.gov.cn']) {
				expect((await refusal(connect({ cookie, headers: { origin } }))).message, origin).toBe('FORBIDDEN');
			}
		});
	});
});

describe('connections per person', () => {
	test('an invitation holds 6 connections at once: 40 opened together get 6, the rest TOO_MANY_CONNECTIONS', async ({
		app,
		network,
		connect
	}) => {
		const caseId = await acceptedCase(app, network);
		const {
			guests: [guest, other]
		} = await mediationWithGuests(app, network, caseId);

		const { sockets, outcomes } = await openAtOnce(connect, guest.cookie, 40);

		expect(count(outcomes, 'connected')).toBe(6);
		expect(count(outcomes, 'TOO_MANY_CONNECTIONS')).toBe(34);
		// Another invitation of the same session is not affected.
		await connected(connect({ cookie: other.cookie }));
		// A place given back is a place free again.
		const open = sockets.filter((socket: ClientSocket) => socket.connected);
		const gone = disconnected(open[0]);
		open[0].disconnect();
		await gone;
		await expect.poll(async () => (await openAtOnce(connect, guest.cookie, 1)).outcomes[0]).toBe('connected');
		expect((await refusal(connect({ cookie: guest.cookie }))).message).toBe('TOO_MANY_CONNECTIONS');
	});

	test('an account holds 20 at once', async ({ app, network, connect }) => {
		const cookie = await accountCookie(app, network.eastMediator);

		const { outcomes } = await openAtOnce(connect, cookie, 25);

		expect(count(outcomes, 'connected')).toBe(20);
		expect(count(outcomes, 'TOO_MANY_CONNECTIONS')).toBe(5);
		await connected(connect({ cookie: await accountCookie(app, network.eastMediator2) }));
	});
});
