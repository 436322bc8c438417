/**
 * Puts mediasoup's worker (the C++ program that mediasoup spawns for media) where mediasoup looks
 * for it. `npm install` runs this (postinstall) and .ci/run runs it before the tests. In order:
 *
 * 1. `MEDIASOUP_WORKER_BIN` is set: mediasoup uses that binary, so there is nothing to do.
 * 2. The worker in node_modules starts and is the one this step put there (or one that
 *    mediasoup's own install put there): done, in milliseconds.
 * 3. The cache outside the checkout has one for this mediasoup version and this build: copied in.
 *    So neither `npm ci` nor a fresh clone builds it again.
 * 4. mediasoup's prebuilt worker from its release downloads, which is what mediasoup's own
 *    postinstall fetches (package.json's allowScripts keeps that postinstall from running, as its
 *    fallback build downloads sources and fails offline). Without internet this fails at once.
 *    mediasoup's own MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD skips it, and
 *    MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL points it at a mirror.
 * 5. Built from source by server/media/worker-build/build-worker.sh, from Debian's packages
 *    alone: about 9 minutes on 2 cores.
 *
 * A binary is always written beside its place and renamed into it, so a stopped run never leaves
 * a half-written worker. With `--warn-only` (how `npm install` runs it) a failure warns and exits
 * 0: `npm install` stays usable where the build cannot run (no root for the build's Debian
 * packages, not Debian), and the app runs without audio and video until this is fixed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	chmodSync,
	copyFileSync,
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { homedir, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..', '..');
const MEDIASOUP_DIR = join(ROOT, 'node_modules', 'mediasoup');
const WORKER = join(MEDIASOUP_DIR, 'worker', 'out', 'Release', 'mediasoup-worker');
/** Beside the worker: the cache key of the binary this step installed. */
const WORKER_KEY = `${WORKER}.cache-key`;
const BUILD_DIR = join(ROOT, 'server', 'media', 'worker-build');
const CACHE_ROOT = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tiaojie', 'mediasoup-worker');
const DOWNLOAD_TIMEOUT_MS = 120_000;
/** Ninja prints a line per compiled file; one every few seconds is enough to show progress. */
const PROGRESS_EVERY_MS = 5_000;

const started = Date.now();
const warnOnly = process.argv.includes('--warn-only');
/** Set when a signal stopped the build: then this exits with it, warn-only or not. */
let interrupted = false;

function log(message: string): void {
	console.log(`[mediasoup-worker] ${message}`);
}

/** Time since the start, as m:ss. */
function elapsed(): string {
	const seconds = Math.round((Date.now() - started) / 1000);
	return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function took(): string {
	const seconds = (Date.now() - started) / 1000;
	return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** The worker exits with 41 when started without MEDIASOUP_VERSION: proof that it loads and runs. */
function starts(binary: string): boolean {
	return existsSync(binary) && spawnSync(binary, [], { env: {}, stdio: 'ignore', timeout: 10_000 }).status === 41;
}

function readText(path: string): string | undefined {
	return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

/** Writes beside `path`, then renames, so `path` is either the old file or the whole new one. */
function replaceFile(path: string, write: (temporary: string) => void): void {
	const temporary = `${path}.tmp-${process.pid}`;
	try {
		write(temporary);
		renameSync(temporary, path);
	} finally {
		rmSync(temporary, { force: true });
	}
}

function mediasoupVersion(): string {
	const manifest = join(MEDIASOUP_DIR, 'package.json');
	if (!existsSync(manifest)) throw new Error(`mediasoup is not installed (no ${manifest}): run npm install`);
	return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** A hash of the build script and its patches: a changed build gets a cache entry of its own. */
function buildHash(): string {
	const hash = createHash('sha256');
	const patches = readdirSync(join(BUILD_DIR, 'patches'))
		.sort()
		.map((name) => join('patches', name));
	for (const file of ['build-worker.sh', ...patches]) {
		hash
			.update(`${file}\0`)
			.update(readFileSync(join(BUILD_DIR, file)))
			.update('\0');
	}
	return hash.digest('hex').slice(0, 12);
}

function install(binary: string, key: string): void {
	mkdirSync(dirname(WORKER), { recursive: true });
	replaceFile(WORKER, (temporary) => {
		copyFileSync(binary, temporary);
		chmodSync(temporary, 0o755);
	});
	replaceFile(WORKER_KEY, (temporary) => writeFileSync(temporary, `${key}\n`));
}

/** Moves a finished binary into the cache entry `key`, whole or not at all. */
function storeInCache(binary: string, key: string): string {
	const entry = join(CACHE_ROOT, key);
	const staging = `${entry}.tmp-${process.pid}`;
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	try {
		copyFileSync(binary, join(staging, 'mediasoup-worker'));
		chmodSync(join(staging, 'mediasoup-worker'), 0o755);
		// A concurrent run may have stored the same entry first; either copy will do.
		if (!existsSync(entry)) renameSync(staging, entry);
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
	return join(entry, 'mediasoup-worker');
}

/** What mediasoup's own postinstall downloads (npm-scripts.mjs, downloadPrebuiltWorker). */
function prebuiltUrl(version: string): string {
	const { repository } = JSON.parse(readFileSync(join(MEDIASOUP_DIR, 'package.json'), 'utf8')) as {
		repository: { url: string };
	};
	const base =
		process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
		`${repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
	const kernel = process.platform === 'linux' ? `-kernel${release().split('.')[0]}` : '';
	return `${base}/${version}/mediasoup-worker-${version}-${process.platform}-${process.arch}${kernel}.tgz`;
}

async function downloadPrebuilt(version: string, directory: string): Promise<string | undefined> {
	const url = prebuiltUrl(version);
	log(`trying mediasoup's prebuilt worker: ${url}`);
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
		if (!response.ok) {
			log(`no prebuilt worker there (HTTP ${response.status})`);
			return undefined;
		}
		const tarball = join(directory, 'prebuilt.tgz');
		writeFileSync(tarball, Buffer.from(await response.arrayBuffer()));
		const untar = spawnSync('tar', ['-xzf', tarball, '-C', directory], { stdio: 'inherit' });
		const binary = join(directory, 'mediasoup-worker');
		if (untar.status === 0 && starts(binary)) return binary;
		log('the prebuilt worker does not run on this system');
	} catch (error) {
		const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
		log(`cannot download it (${error instanceof Error ? error.message : String(error)}${cause})`);
	}
	return undefined;
}

/** Runs build-worker.sh, printing its output with the elapsed time and keeping all of it in a log. */
async function buildFromSource(directory: string): Promise<string> {
	const output = join(directory, 'mediasoup-worker');
	const logFile = join(CACHE_ROOT, 'build.log');
	mkdirSync(CACHE_ROOT, { recursive: true });
	log(`building it from source (about 9 minutes on 2 cores); full log: ${logFile}`);
	const logStream = createWriteStream(logFile);
	// In a process group of its own, so that stopping this step stops the compilers too.
	const child = spawn('bash', [join(BUILD_DIR, 'build-worker.sh')], {
		env: { ...process.env, MS_DIR: MEDIASOUP_DIR, OUT: output, WORK: join(CACHE_ROOT, 'build') },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true
	});
	const stop = (signal: NodeJS.Signals) => {
		if (child.pid) process.kill(-child.pid, 'SIGTERM');
		process.exitCode = signal === 'SIGINT' ? 130 : 143;
		interrupted = true;
	};
	process.once('SIGINT', stop).once('SIGTERM', stop);
	let lastProgress = 0;
	const show = (line: string) => {
		logStream.write(`${line}\n`);
		const progress = /^\[(\d+)\/(\d+)\]/.exec(line);
		if (progress && progress[1] !== progress[2] && Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
		if (progress) lastProgress = Date.now();
		console.log(`[mediasoup-worker ${elapsed()}] ${line}`);
	};
	createInterface({ input: child.stdout }).on('line', show);
	createInterface({ input: child.stderr }).on('line', show);
	const exit = await new Promise<string>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
	});
	await new Promise<void>((resolve) => logStream.end(resolve));
	process.off('SIGINT', stop).off('SIGTERM', stop);
	if (exit !== 'exit code 0') throw new Error(`the build failed (${exit}); see ${logFile}`);
	return output;
}

async function ensureWorker(): Promise<void> {
	const configured = process.env.MEDIASOUP_WORKER_BIN;
	if (configured) {
		if (!starts(configured)) throw new Error(`MEDIASOUP_WORKER_BIN=${configured} does not run as a mediasoup worker`);
		log(`MEDIASOUP_WORKER_BIN is set: mediasoup uses ${configured}`);
		return;
	}

	const version = mediasoupVersion();
	const platform = `${process.platform}-${process.arch}`;
	const prebuiltKey = `${version}-${platform}-prebuilt`;
	const sourceKey = `${version}-${platform}-${buildHash()}`;

	const installedKey = readText(WORKER_KEY);
	if ((installedKey === undefined || [prebuiltKey, sourceKey].includes(installedKey)) && starts(WORKER)) {
		log(`mediasoup-worker ${version} in place (${installedKey ?? 'installed by mediasoup'})`);
		return;
	}

	for (const key of [prebuiltKey, sourceKey]) {
		const cached = join(CACHE_ROOT, key, 'mediasoup-worker');
		if (starts(cached)) {
			install(cached, key);
			log(`mediasoup-worker ${version} restored from the cache ${cached} in ${took()}`);
			return;
		}
	}

	const directory = mkdtempSync(join(tmpdir(), 'tiaojie-mediasoup-worker-'));
	try {
		if (!process.env.MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD) {
			const prebuilt = await downloadPrebuilt(version, directory);
			if (prebuilt) {
				install(storeInCache(prebuilt, prebuiltKey), prebuiltKey);
				log(`mediasoup-worker ${version} (prebuilt) downloaded and installed in ${took()}`);
				return;
			}
		}
		const built = await buildFromSource(directory);
		install(storeInCache(built, sourceKey), sourceKey);
		log(`mediasoup-worker ${version} built and installed in ${took()}; cached in ${join(CACHE_ROOT, sourceKey)}`);
	} finally {
		rmSync(directory, { recursive: true, force: true });
	}
}

try {
	await ensureWorker();
} catch (error) {
	const reason = error instanceof Error ? error.message : String(error);
	if (interrupted) {
		console.error(`[mediasoup-worker] stopped: ${reason}`);
		process.exit();
	}
	if (!warnOnly) {
		console.error(`[mediasoup-worker] FAILED: ${reason}`);
		process.exit(1);
	}
	console.warn(
		[
			'',
			'[mediasoup-worker] WARNING: no mediasoup worker installed, so rooms will have no audio or video.',
			`[mediasoup-worker] ${reason}`,
			'[mediasoup-worker] Fix that, then run: node server/cli/ensure-media-worker.ts',
			''
		].join('\n')
	);
}
