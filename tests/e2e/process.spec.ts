import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
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

async function startServer(
	dataDir: string,
	env: Record<string, string> = {},
	ready = async () => (await fetch(`${base}/healthz`).catch(() => null))?.status
): Promise<Server> {
	const child = spawn(process.execPath, ['server/index.ts'], {
		env: { ...process.env, DATA_DIR: dataDir, PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: '', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	// A first start migrates a new PGlite database: on a loaded machine that takes a while.
	try {
		await expect.poll(ready, { timeout: 60_000 }).toBe(200);
	} catch (error) {
		child.kill('SIGKILL');
		throw new Error(`the server did not come up; it said:\n${output}`, { cause: error });
	}
	return { process: child, output: () => output };
}

/** The status of an HTTPS GET that trusts only `ca`. */
function httpsStatus(url: string, ca: Buffer): Promise<number | undefined> {
	return new Promise((resolve) => {
		get(url, { ca }, (response) => {
			response.resume();
			resolve(response.statusCode);
		}).on('error', () => resolve(undefined));
	});
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
	test.slow();
	const dataDir = mkdtempSync(join(tmpdir(), 'tiaojie-process-'));
	let server: Server | undefined;
	try {
		server = await startServer(dataDir);
		const setup = await post('/setup', {
			townName: '青石镇',
			townCode: 'QSZ',
			committeeName: '青石镇人民调解委员会',
			publicOrigin: base,
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

test('with its own certificate the app serves HTTPS, where the browser offers camera and microphone', async ({
	browser
}) => {
	test.slow();
	const dir = mkdtempSync(join(tmpdir(), 'tiaojie-tls-'));
	const [certFile, keyFile] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
	execFileSync('openssl', [
		...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
		...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile]
	]);
	const ca = readFileSync(certFile);
	// A port of its own: the other test of this file may be running meanwhile.
	const tlsPort = PORT + 1;
	const secure = `https://127.0.0.1:${tlsPort}`;
	let server: Server | undefined;
	try {
		server = await startServer(
			join(dir, 'data'),
			{ PORT: String(tlsPort), TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile },
			() => httpsStatus(`${secure}/healthz`, ca)
		);
		// Plain HTTP on the same port is not served.
		expect(await fetch(`http://127.0.0.1:${tlsPort}/healthz`).catch(() => 'refused')).toBe('refused');
		const context = await browser.newContext({ ignoreHTTPSErrors: true });
		const page = await context.newPage();
		await page.goto(`${secure}/setup`);
		expect(await page.evaluate(() => window.isSecureContext && typeof navigator.mediaDevices?.getUserMedia)).toBe(
			'function'
		);
		await context.close();
		expect(await stop(server)).toBe(0);
	} finally {
		if (server?.process.exitCode === null) server.process.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
	}
});
