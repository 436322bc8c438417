import { randomUUID } from 'node:crypto';
import postgres from 'postgres';

/** The PostgreSQL server the multi-process tests need: TEST_DATABASE_URL, or the local one. */
export const postgresServerUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A new, empty database on the PostgreSQL server, named `<prefix>_<random>`; `drop` removes it
 * (connections still open to it are ended). Fails with a clear message when the server is not
 * there: these tests need it, they are not skipped.
 */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
	const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
	const admin = postgres(postgresServerUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
	try {
		await admin.unsafe(`create database ${name}`);
	} catch (error) {
		throw new Error(
			`This test needs a PostgreSQL server at ${redacted(postgresServerUrl)} (set TEST_DATABASE_URL to another): ${(error as Error).message}`,
			{ cause: error }
		);
	} finally {
		await admin.end();
	}
	const url = new URL(postgresServerUrl);
	url.pathname = `/${name}`;
	return {
		url: url.href,
		async drop() {
			const admin = postgres(postgresServerUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
			try {
				await admin.unsafe(`drop database if exists ${name} with (force)`);
			} finally {
				await admin.end();
			}
		}
	};
}

function redacted(url: string): string {
	const parsed = new URL(url);
	if (parsed.password) parsed.password = '***';
	return parsed.href;
}
