import type { Database } from './db/client.ts';
import type { Logger } from './log.ts';
import type { Realtime } from './realtime/realtime.ts';
import { agreementFontsAvailable } from './signing/pdf/agreement-fonts.ts';

/** Redis that does not answer by then counts as unreachable: a load balancer's health check must not hang. */
const CLUSTER_TIMEOUT_MS = 2000;

export type Health = {
	status: 'ok' | 'degraded';
	database: { ok: boolean; driver: 'pglite' | 'postgres'; latencyMs: number };
	realtime: { ok: boolean; connections: number };
	/** With REDIS_URL: this process, the rooms it owns (session ids) and the other processes alive; null when alone. */
	cluster: Awaited<ReturnType<Realtime['clusterStatus']>>;
	/** The fonts agreements are set in (from npm); the one for rare characters is an optional system font. */
	agreementFonts: { ok: boolean; rareCharacters: boolean };
};

export async function checkHealth(app: { database: Database; log: Logger; realtime: Realtime }): Promise<Health> {
	const started = performance.now();
	let databaseOk = true;
	try {
		await app.database.ping();
	} catch (error) {
		databaseOk = false;
		app.log.error({ err: error }, 'health check: database unreachable');
	}
	const realtime = app.realtime.status();
	let cluster: Health['cluster'] = null;
	let clusterOk = true;
	try {
		cluster = await withinTime(app.realtime.clusterStatus(), CLUSTER_TIMEOUT_MS);
	} catch (error) {
		clusterOk = false;
		app.log.error({ err: error }, 'health check: Redis unreachable');
	}
	const fonts = agreementFontsAvailable();
	const fontsOk = fonts.text && fonts.title;
	return {
		status: databaseOk && clusterOk && realtime.attached && fontsOk ? 'ok' : 'degraded',
		database: { ok: databaseOk, driver: app.database.driver, latencyMs: Math.round(performance.now() - started) },
		realtime: { ok: realtime.attached, connections: realtime.connections },
		cluster,
		agreementFonts: { ok: fontsOk, rareCharacters: fonts.rareCharacters }
	};
}

function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
	});
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
