import type { App } from './app.ts';

export type Health = {
	status: 'ok' | 'degraded';
	database: { ok: boolean; driver: 'pglite' | 'postgres'; latencyMs: number };
	realtime: { ok: boolean; connections: number };
};

export async function checkHealth(app: App): Promise<Health> {
	const started = performance.now();
	let databaseOk = true;
	try {
		await app.database.ping();
	} catch (error) {
		databaseOk = false;
		app.log.error({ err: error }, 'health check: database unreachable');
	}
	const realtime = app.realtime.status();
	return {
		status: databaseOk && realtime.attached ? 'ok' : 'degraded',
		database: { ok: databaseOk, driver: app.database.driver, latencyMs: Math.round(performance.now() - started) },
		realtime: { ok: realtime.attached, connections: realtime.connections }
	};
}
