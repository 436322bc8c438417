/**
 * `npm run cluster -- [N]`: N app processes (the number of cores by default) on one port of this
 * machine, sharing PostgreSQL and Redis: Node's own cluster module hands each new connection to the
 * next process in turn. A process that dies is replaced; SIGTERM stops them all, each handing its
 * rooms over. Across machines, put nginx in front instead (README, "Several processes").
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { loadConfigOrExit } from '../config.ts';

const config = loadConfigOrExit();
const size = Number(process.argv[2] ?? availableParallelism());
if (!Number.isInteger(size) || size < 1 || size > 64) {
	console.error(`npm run cluster -- N: N is how many app processes to start, 1 to 64 (got ${process.argv[2]}).`);
	process.exit(1);
}
if (!config.redisUrl || !config.databaseUrl) {
	console.error(
		"npm run cluster needs REDIS_URL and DATABASE_URL: the processes share rooms through Redis and a PostgreSQL database (embedded PGlite is one process's own)."
	);
	process.exit(1);
}

cluster.setupPrimary({ exec: new URL('../index.ts', import.meta.url).pathname });
let stopping = false;
const start = () =>
	cluster.fork().on('exit', (code, signal) => {
		if (stopping) return;
		console.error(`app process exited (${signal ?? code}); starting another`);
		start();
	});
for (let i = 0; i < size; i++) start();
console.log(`${size} app processes on port ${config.port}`);

async function stop(): Promise<void> {
	if (stopping) return;
	stopping = true;
	const workers = Object.values(cluster.workers ?? {}).filter((worker) => !!worker);
	await Promise.all(
		workers.map((worker) => {
			const exited = new Promise((resolve) => worker.once('exit', resolve));
			worker.process.kill('SIGTERM');
			return exited;
		})
	);
	process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
