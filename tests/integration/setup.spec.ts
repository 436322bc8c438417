import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { committees, installation, orgNodes, users } from '#server/db/schema.ts';
import { completeSetup } from '#server/setup/complete-setup.ts';
import { isSetupComplete } from '#server/setup/is-setup-complete.ts';
import { readPublicOrigin } from '#server/setup/read-public-origin.ts';
import { expectAppError, logInAs, test } from '../support/integration-test.ts';

const validSetup = {
	publicOrigin: 'https://tiaojie.example.gov.cn',
	townName: '青石镇',
	townCode: 'QSZ',
	committeeName: '青石镇人民调解委员会',
	username: 'admin',
	displayName: '管理员',
	password: 'correct horse battery',
	passwordConfirm: 'correct horse battery'
};

async function rowCounts(app: App) {
	return {
		orgNodes: await app.db.$count(orgNodes),
		committees: await app.db.$count(committees),
		users: await app.db.$count(users),
		installation: await app.db.$count(installation)
	};
}

describe('completeSetup', () => {
	test('creates the town, its committee, the admin and the installation row', async ({ app }) => {
		expect(await isSetupComplete(app.db)).toBe(false);

		const { townId, adminId } = await completeSetup(app, validSetup);

		expect(await isSetupComplete(app.db)).toBe(true);
		const [town] = await app.db.select().from(orgNodes).where(eq(orgNodes.id, townId));
		expect(town).toMatchObject({ kind: 'town', name: '青石镇', code: 'QSZ', parentId: null, path: `/${townId}/` });
		const [committee] = await app.db.select().from(committees).where(eq(committees.orgNodeId, townId));
		expect(committee.name).toBe('青石镇人民调解委员会');
		const [admin] = await app.db.select().from(users).where(eq(users.id, adminId));
		expect(admin).toMatchObject({
			username: 'admin',
			displayName: '管理员',
			role: 'admin',
			orgNodeId: townId,
			active: true,
			mustChangePassword: false
		});
		expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
		expect(admin.passwordHash).not.toContain(validSetup.password);
		expect(await app.db.select({ rootOrgId: installation.rootOrgId }).from(installation)).toEqual([
			{ rootOrgId: townId }
		]);
		expect(await rowCounts(app)).toEqual({ orgNodes: 1, committees: 1, users: 1, installation: 1 });
	});

	test('stores the public address it is given (as an origin), with the admin who gave it', async ({ app }) => {
		const { adminId } = await completeSetup(app, { ...validSetup, publicOrigin: ' https://Tiaojie.Example.gov.cn/ ' });

		const [row] = await app.db.select().from(installation);
		expect(row).toMatchObject({
			publicOrigin: 'https://tiaojie.example.gov.cn',
			publicOriginSetById: adminId,
			publicOriginSetAt: expect.any(Date)
		});
		expect(await readPublicOrigin(app)).toBe('https://tiaojie.example.gov.cn');
	});

	test('with a county, the town sits under it and the county is the root', async ({ app }) => {
		const { townId } = await completeSetup(app, { ...validSetup, countyName: '云岭县' });

		const [town] = await app.db.select().from(orgNodes).where(eq(orgNodes.id, townId));
		const [county] = await app.db.select().from(orgNodes).where(eq(orgNodes.kind, 'county'));
		expect(county).toMatchObject({ name: '云岭县', parentId: null, path: `/${county.id}/` });
		expect(town).toMatchObject({ parentId: county.id, path: `/${county.id}/${townId}/` });
		expect(await app.db.select({ rootOrgId: installation.rootOrgId }).from(installation)).toEqual([
			{ rootOrgId: county.id }
		]);
		const [admin] = await app.db.select().from(users);
		expect(admin.orgNodeId).toBe(townId);
	});

	test('the admin can log in with the chosen password', async ({ app }) => {
		const { adminId } = await completeSetup(app, validSetup);
		const { actor } = await logInAs(app, 'admin', validSetup.password);
		expect(actor).toMatchObject({ id: adminId, role: 'admin', mustChangePassword: false });
	});

	test('a second setup is refused with SETUP_COMPLETE and adds nothing', async ({ app }) => {
		await completeSetup(app, validSetup);
		const before = await rowCounts(app);

		await expectAppError(
			completeSetup(app, { ...validSetup, townName: '白水镇', username: 'second' }),
			'SETUP_COMPLETE'
		);

		expect(await rowCounts(app)).toEqual(before);
	});

	test('of two racing setups exactly one wins and the other leaves nothing behind', async ({ app }) => {
		const results = await Promise.allSettled([
			completeSetup(app, { ...validSetup, username: 'first' }),
			completeSetup(app, { ...validSetup, townName: '白水镇', username: 'second' })
		]);

		const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
		const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
		expect(won).toHaveLength(1);
		expect(refused).toMatchObject([{ code: 'SETUP_COMPLETE' }]);
		expect(await rowCounts(app)).toEqual({ orgNodes: 1, committees: 1, users: 1, installation: 1 });
		expect(await app.db.select({ id: users.id, orgNodeId: users.orgNodeId }).from(users)).toEqual([
			{ id: won[0].adminId, orgNodeId: won[0].townId }
		]);
	});

	test.for([
		['a lower-case town code', { townCode: 'qsz' }, { townCode: ['invalid'] }],
		['a town code with digits', { townCode: 'QS1' }, { townCode: ['invalid'] }],
		['a short password', { password: 'short', passwordConfirm: 'short' }, { password: ['too_short'] }],
		['a mismatched confirmation', { passwordConfirm: 'correct horse battery!' }, { passwordConfirm: ['mismatch'] }],
		['a blank town name', { townName: '   ' }, { townName: ['required'] }],
		['a username with spaces', { username: 'the admin' }, { username: ['invalid'] }],
		['no public address', { publicOrigin: undefined }, { publicOrigin: ['required'] }],
		[
			'a public address with a path',
			{ publicOrigin: 'https://tiaojie.example.gov.cn/app' },
			{ publicOrigin: ['invalid'] }
		],
		['a public address that is a script', { publicOrigin: 'javascript:alert(1)' }, { publicOrigin: ['invalid'] }],
		[
			'a public address with credentials',
			{ publicOrigin: 'https://a:b@tiaojie.example.gov.cn' },
			{ publicOrigin: ['invalid'] }
		],
		[
			'a public address of another scheme',
			{ publicOrigin: 'ftp://tiaojie.example.gov.cn' },
			{ publicOrigin: ['invalid'] }
		]
	] as const)(
		'%s is a VALIDATION error with field codes, and nothing is written',
		async ([, change, fields], { app }) => {
			await expectAppError(completeSetup(app, { ...validSetup, ...change }), 'VALIDATION', fields);

			expect(await isSetupComplete(app.db)).toBe(false);
			expect(await rowCounts(app)).toEqual({ orgNodes: 0, committees: 0, users: 0, installation: 0 });
		}
	);

	test('input that is not an object at all is a VALIDATION error', async ({ app }) => {
		const error = await expectAppError(completeSetup(app, 'admin'), 'VALIDATION');
		expect(error.fields).toBeDefined();
		expect(await isSetupComplete(app.db)).toBe(false);
	});
});
