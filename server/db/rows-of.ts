import type { SQL } from 'drizzle-orm';

/**
 * The rows of a raw query: postgres.js answers with an array of them, PGlite with an object holding them.
 * Takes any database that runs SQL, so that the database client itself can use it.
 */
export async function rowsOf<T>(db: { execute(query: SQL): PromiseLike<unknown> }, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
