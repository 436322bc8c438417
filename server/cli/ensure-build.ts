/**
 * `npm start` runs this first: it builds the app when there is no build yet or
 * when a source file is newer than the build, so a fresh clone starts with one
 * command.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUILD_MARK = 'build/handler.js';
const SOURCES = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestChange(path: string): number {
	const stat = statSync(path, { throwIfNoEntry: false });
	if (!stat) return 0;
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(
		stat.mtimeMs,
		...readdirSync(path)
			.filter((name) => name !== 'paraglide')
			.map((name) => newestChange(join(path, name)))
	);
}

const built = statSync(BUILD_MARK, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = Math.max(...SOURCES.map(newestChange));
if (built < changed) {
	console.log(built ? 'Sources changed since the last build: building…' : 'No build yet: building…');
	execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
