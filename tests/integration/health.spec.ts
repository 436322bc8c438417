import { existsSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { openDatabase } from '#server/db/client.ts';
import { checkHealth } from '#server/health.ts';
import { RARE_CHARACTERS_FONT_FILE } from '#server/signing/pdf/agreement-fonts.ts';
import { testDatabaseUrl } from '../support/test-app.ts';
import { connected, sessionCookie, socketTest } from '../support/socket-client.ts';
import { addUser, test } from '../support/integration-test.ts';

const expectedDriver = testDatabaseUrl ? 'postgres' : 'pglite';

describe('checkHealth', () => {
	test('is degraded while Socket.io is not attached to a server', async ({ app }) => {
		const health = await checkHealth(app);

		expect(health).toMatchObject({
			status: 'degraded',
			database: { ok: true, driver: expectedDriver },
			realtime: { ok: false, connections: 0 }
		});
	});

	socketTest('is ok once attached, and counts live connections', async ({ app, town, connect }) => {
		expect(await checkHealth(app)).toMatchObject({ status: 'ok', realtime: { ok: true, connections: 0 } });

		const socket = connect({ cookie: await sessionCookie(app, await addUser(app, town.admin)) });
		await connected(socket);

		expect(await checkHealth(app)).toMatchObject({
			status: 'ok',
			database: { ok: true, driver: expectedDriver },
			realtime: { ok: true, connections: 1 }
		});
	});

	test('says the agreement fonts are in place: Noto Serif SC from npm, HanaMinB from the system', async ({ app }) => {
		expect((await checkHealth(app)).agreementFonts).toEqual({
			ok: true,
			rareCharacters: existsSync(RARE_CHARACTERS_FONT_FILE)
		});
	});

	test('is degraded when the database cannot be reached', async ({ app }) => {
		await app.listen();
		// A real client for a server that is not there: nothing listens on port 1.
		const unreachable = await openDatabase({ url: 'postgres://nobody@127.0.0.1:1/nothing', dataDir: null });
		try {
			const health = await checkHealth({ ...app, database: unreachable });

			expect(health).toMatchObject({
				status: 'degraded',
				database: { ok: false, driver: 'postgres' },
				realtime: { ok: true }
			});
		} finally {
			await unreachable.close();
		}
	});
});
