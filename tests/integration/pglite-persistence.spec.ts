import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { closeApp, createApp, type App } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { completeSetup } from '#server/setup/complete-setup.ts';
import { isSetupComplete } from '#server/setup/is-setup-complete.ts';
import { createUser } from '#server/users/create-user.ts';
import { listUsers } from '#server/users/list-users.ts';
import { expectAppError, logInAs } from '../support/integration-test.ts';

const PASSWORD = 'embedded-password-1';

/**
 * The zero-setup default: no DATABASE_URL, PGlite files under DATA_DIR. Runs
 * against PGlite whatever TEST_DATABASE_URL says.
 */
describe('embedded PGlite in DATA_DIR', () => {
	let dataDir: string;
	const open: App[] = [];

	const start = async () => {
		const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' }));
		open.push(app);
		return app;
	};
	const stop = async (app: App) => {
		open.splice(open.indexOf(app), 1);
		await closeApp(app);
	};

	beforeEach(async () => {
		dataDir = await mkdtemp(join(tmpdir(), 'tiaojie-data-'));
	});

	afterEach(async () => {
		for (const app of open.splice(0)) await closeApp(app);
		await rm(dataDir, { recursive: true, force: true });
	});

	test('setup, users and the password survive a restart on the same directory', async () => {
		const first = await start();
		expect(first.database.driver).toBe('pglite');
		const { townId } = await completeSetup(first, {
			townName: '青石镇',
			townCode: 'QSZ',
			committeeName: '青石镇人民调解委员会',
			publicOrigin: 'https://tiaojie.example.gov.cn',
			username: 'admin',
			displayName: '管理员',
			password: PASSWORD,
			passwordConfirm: PASSWORD
		});
		const { actor: admin } = await logInAs(first, 'admin', PASSWORD);
		const mediator = await createUser(first, admin, {
			username: 'li.si',
			displayName: '李四',
			role: 'mediator',
			orgNodeId: townId
		});
		await stop(first);
		expect(await readdir(join(dataDir, 'pglite'))).not.toEqual([]);

		const second = await start();

		expect(await isSetupComplete(second.db)).toBe(true);
		const { actor } = await logInAs(second, 'admin', PASSWORD);
		expect(actor).toEqual(admin);
		expect((await listUsers(second.db, actor)).map((user) => user.username).sort()).toEqual(['admin', 'li.si']);
		await expect(logInAs(second, 'li.si', mediator.password)).resolves.toMatchObject({
			actor: { id: mediator.userId }
		});
		await expectAppError(
			completeSetup(second, {
				townName: '白水镇',
				townCode: 'BSZ',
				committeeName: '白水镇人民调解委员会',
				publicOrigin: 'https://tiaojie.example.gov.cn',
				username: 'other',
				displayName: '另一个',
				password: PASSWORD,
				passwordConfirm: PASSWORD
			}),
			'SETUP_COMPLETE'
		);
	});

	test('a fresh directory starts empty, not set up', async () => {
		const app = await start();
		expect(app.database.driver).toBe('pglite');
		expect(await isSetupComplete(app.db)).toBe(false);
	});
});
