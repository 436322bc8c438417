import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { rowsOf } from './rows-of.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Either driver behind one face: the rest of the app sees only `db` (and `prepared`). */
export type Database = {
	readonly db: Db;
	/**
	 * The rows of a raw statement that every keystroke of a draft waits for: on a PostgreSQL
	 * connection of its own, prepared once per text, so one round trip. (drizzle runs statements
	 * unprepared, and postgres.js then has the server describe each one in a round trip of its own
	 * first; a connection of the pool, used in turn, is cold on each of its wakings.)
	 */
	prepared<T>(query: SQL): Promise<T[]>;
	readonly driver: 'pglite' | 'postgres';
	/** What the job queue (pg-boss) connects through: the same PGlite, or a pool of its own to the same server. */
	readonly queueConnection: { pglite: PGlite } | { url: string };
	migrate(): Promise<void>;
	ping(): Promise<void>;
	close(): Promise<void>;
};

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** The advisory lock migrations hold on a PostgreSQL server: any number, the same in every process. */
const MIGRATION_LOCK = 7_161_043;

/**
 * A server at `url`, or else embedded PGlite in `dataDir` (in memory when
 * `dataDir` is null, optionally starting from a dump of another one).
 */
export async function openDatabase(options: {
	url?: string;
	dataDir: string | null;
	loadDataDir?: Blob;
}): Promise<Database> {
	if (options.url) {
		const client = postgres(options.url, { max: 10, onnotice: () => {} });
		const db = drizzlePostgres(client, { schema });
		const writer = postgres(options.url, { max: 1, onnotice: () => {} });
		const dialect = new PgDialect();
		return {
			db,
			prepared: async <T>(query: SQL) => {
				const { sql: text, params } = dialect.sqlToQuery(query);
				return (await writer.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as T[];
			},
			driver: 'postgres',
			queueConnection: { url: options.url },
			migrate: async () => {
				// Processes starting together on one database (a cluster) migrate one after another: the first does it, the others find it done.
				await writer`select pg_advisory_lock(${MIGRATION_LOCK})`;
				try {
					await migratePostgres(db, { migrationsFolder });
				} finally {
					await writer`select pg_advisory_unlock(${MIGRATION_LOCK})`;
				}
			},
			ping: async () => void (await db.execute(sql`select 1`)),
			close: async () => void (await Promise.all([client.end({ timeout: 5 }), writer.end({ timeout: 5 })]))
		};
	}
	let location: string | undefined;
	if (options.dataDir !== null) {
		location = join(options.dataDir, 'pglite');
		await mkdir(location, { recursive: true });
	}
	const client = await PGlite.create(location, { loadDataDir: options.loadDataDir });
	const db = drizzlePglite(client, { schema });
	return {
		db,
		prepared: (query) => rowsOf(db, query),
		driver: 'pglite',
		queueConnection: { pglite: client },
		migrate: () => migratePglite(db, { migrationsFolder }),
		ping: async () => void (await db.execute(sql`select 1`)),
		close: () => client.close()
	};
}
