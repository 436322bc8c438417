/**
 * Processes of a cluster starting together on a new PostgreSQL database: each brings the schema up
 * to date at start-up, and they must not race to create the same types and tables.
 */
import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, expect, test } from 'vitest';
import { openDatabase, type Database } from '#server/db/client.ts';
import { freshDatabase } from '../support/fresh-database.ts';

const opened: Database[] = [];
let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;

afterAll(async () => {
	await Promise.all(opened.map((db) => db.close()));
	await database?.drop();
});

test('three processes migrating one new database at once all succeed, and the migrations run once', async () => {
	database = await freshDatabase('migrate_together');
	for (let i = 0; i < 3; i++) opened.push(await openDatabase({ url: database.url, dataDir: null }));
	await Promise.all(opened.map((db) => db.migrate()));
	const [{ count }] = (await opened[0].db.execute(
		sql`select count(*)::int as count from drizzle.__drizzle_migrations`
	)) as unknown as { count: number }[];
	const files = readdirSync(new URL('../../drizzle', import.meta.url)).filter((file) => file.endsWith('.sql'));
	expect(count).toBe(files.length);
});
