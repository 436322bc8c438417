import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { expect, test } from '@playwright/test';
import { io } from 'socket.io-client';

/**
 * The production process as `npm start` runs it: embedded PGlite in DATA_DIR
 * that survives a restart, and a SIGTERM that closes sockets, HTTP and the
 * database before a clean exit.
 */
const PORT = 4191;
const base = `http://127.0.0.1:${PORT}`;

type Server = { process: ChildProcess; output: () => string };

async function startServer(dataDir: string): Promise<Server> {
	const child = spawn(process.execPath, ['server/index.ts'], {
		env: { ...process.env, DATA_DIR: dataDir, PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: '' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	await expect
		.poll(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status, { timeout: 30_000 })
		.toBe(200);
	return { process: child, output: () => output };
}

async function stop(server: Server): Promise<number | null> {
	const exited = once(server.process, 'exit');
	server.process.kill('SIGTERM');
	const [code] = await exited;
	return code as number | null;
}

/** Posts a form the way a same-origin browser page does. */
function post(path: string, fields: Record<string, string>, cookie = '') {
	return fetch(`${base}${path}`, {
		method: 'POST',
		redirect: 'manual',
		// A browser's Accept: without text/html first, SvelteKit answers a form action in JSON instead of redirecting.
		headers: { origin: base, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
		body: new URLSearchParams(fields)
	});
}

const admin = { username: 'chief', password: 'a-long-password' };

async function logIn(): Promise<string> {
	const response = await post('/login', admin);
	expect(response.status).toBe(303);
	return response.headers.getSetCookie()[0].split(';')[0];
}

test('data survives a restart and SIGTERM shuts down cleanly', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'tiaojie-process-'));
	let server: Server | undefined;
	try {
		server = await startServer(dataDir);
		const setup = await post('/setup', {
			townName: '青石镇',
			townCode: 'QSZ',
			committeeName: '青石镇人民调解委员会',
			username: admin.username,
			displayName: '管理员',
			password: admin.password,
			passwordConfirm: admin.password
		});
		expect(setup.headers.get('location')).toBe('/login?setup=done');

		const socket = io(base, { transports: ['websocket'], extraHeaders: { cookie: await logIn() } });
		await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
		const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
		expect(await stop(server)).toBe(0);
		await disconnected;
		socket.close();
		expect(server.output()).toContain('"msg":"stopped"');

		server = await startServer(dataDir);
		const front = await fetch(`${base}/`, { redirect: 'manual' });
		expect(front.headers.get('location')).toBe('/login');
		expect(await logIn()).toMatch(/^tj_session=/);
		expect(await stop(server)).toBe(0);
	} finally {
		// A failed step must not leave the server running on its port.
		if (server?.process.exitCode === null) server.process.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	}
});
