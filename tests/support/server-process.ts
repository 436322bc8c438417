import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeApp, createApp, type App } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { freshDatabase } from './fresh-database.ts';

/**
 * The production entry (`node server/index.ts`, as `npm start` runs it) in a process of its own,
 * for the tests that kill it: on either driver, with the data where a restart finds it.
 */
const root = new URL('../../', import.meta.url).pathname;

export type Driver = 'pglite' | 'postgres';

export type WorkerProcess = { child: ChildProcess; output: () => string };
export type ServerProcess = WorkerProcess & { base: string };

/**
 * Where a server keeps its data across restarts: embedded PGlite in a folder of its own, or a fresh
 * database on the PostgreSQL server. `open` builds an App on it in this process (for seeding before
 * a server starts, and reading back after it died: PGlite takes one process at a time).
 */
export type ServerStorage = {
	driver: Driver;
	env: Record<string, string>;
	open(): Promise<App>;
	remove(): Promise<void>;
};

export async function serverStorage(driver: Driver, name: string): Promise<ServerStorage> {
	if (!existsSync(join(root, 'build/handler.js'))) {
		throw new Error('server/index.ts serves the built app: run `node server/cli/ensure-build.ts` first');
	}
	const dataDir = mkdtempSync(join(tmpdir(), `tiaojie-${name}-`));
	const database = driver === 'postgres' ? await freshDatabase(`tiaojie_${name}`) : undefined;
	const env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: database?.url ?? '' };
	return {
		driver,
		env,
		open: () => createApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env })),
		async remove() {
			await database?.drop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** Runs `use` on an App built on the storage, and closes it. */
export async function withApp<T>(storage: ServerStorage, use: (app: App) => Promise<T>): Promise<T> {
	const app = await storage.open();
	try {
		return await use(app);
	} finally {
		await closeApp(app);
	}
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as { port: number };
	server.close();
	await once(server, 'close');
	return port;
}

/** Starts the server on the storage at `port` (a free one if not given) and waits until /healthz answers 200. */
export async function startServer(
	storage: ServerStorage,
	options: { port?: number; env?: Record<string, string> } = {}
): Promise<ServerProcess> {
	const port = options.port ?? (await freePort());
	const base = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['server/index.ts'], {
		cwd: root,
		env: {
			...process.env,
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn',
			REDIS_URL: '',
			MEDIA_WORKERS: '1',
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: base,
			...storage.env,
			...options.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
		const status = await health(base).then(
			(answer) => answer.status,
			() => 0
		);
		if (status === 200) return { child, base, output: () => output };
		if (Date.now() > deadline) throw new Error(`the server did not become healthy:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** Starts `npm run worker` on the storage (a PostgreSQL one) and waits until it works the queue. */
export async function startWorker(
	storage: ServerStorage,
	options: { env?: Record<string, string> } = {}
): Promise<WorkerProcess> {
	const child = spawn(process.execPath, ['server/cli/worker.ts'], {
		cwd: root,
		env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...storage.env, ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 60_000;
	while (!output.includes('notification worker started')) {
		if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}:\n${output}`);
		if (Date.now() > deadline) throw new Error(`the worker did not start:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return { child, output: () => output };
}

/**
 * GET /healthz on a connection of its own: a kept-alive one may be closed by the server (or die with
 * a killed one) just as it is used again.
 */
export function health(base: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		get(`${base}/healthz`, { agent: false }, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk) => (body += chunk));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
		}).on('error', reject);
	});
}

/** `kill -9`, and waits until the process is gone. */
export async function kill(server: WorkerProcess): Promise<void> {
	if (server.child.exitCode !== null || server.child.signalCode !== null) return;
	const exited = once(server.child, 'exit');
	server.child.kill('SIGKILL');
	await exited;
}

/** SIGTERM, as a service manager stops the app; resolves with the exit code once the process is gone. */
export async function terminate(server: WorkerProcess): Promise<number | null> {
	if (server.child.exitCode !== null || server.child.signalCode !== null) return server.child.exitCode;
	const exited = once(server.child, 'exit');
	server.child.kill('SIGTERM');
	const [code] = await exited;
	return code as number | null;
}

/** The pid of the server's mediasoup worker (it runs one: MEDIA_WORKERS=1). */
export function mediaWorkerPid(server: ServerProcess): number {
	return Number(execFileSync('pgrep', ['-P', String(server.child.pid), 'mediasoup'], { encoding: 'utf8' }));
}
