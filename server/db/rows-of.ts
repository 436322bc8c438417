import type { SQL } from 'drizzle-orm';
import type { Db } from './client.ts';

/** The rows of a raw query: postgres.js answers with an array of them, PGlite with an object holding them. */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
