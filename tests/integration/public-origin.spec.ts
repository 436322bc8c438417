import { describe, expect } from 'vitest';
import { installation } from '#server/db/schema.ts';
import { changePublicOrigin } from '#server/setup/change-public-origin.ts';
import { describePublicOrigin } from '#server/setup/describe-public-origin.ts';
import { readPublicOrigin } from '#server/setup/read-public-origin.ts';
import { setUpNetwork } from '../support/case-network.ts';
import { TEST_ORIGIN } from '../support/test-app.ts';
import { expectAppError, test } from '../support/integration-test.ts';

/**
 * The app's public address, which sealed agreements and the links handed to people are built on:
 * stored at setup, changed by the installation's admins, overridden by ORIGIN, never taken from a
 * request (see sealed-agreement-origin.spec.ts for the agreement itself).
 */
describe('the public address', () => {
	test('the town admin changes it; who and when are kept; bad input changes nothing', async ({ app }) => {
		const { admin } = await setUpNetwork(app);
		expect(await readPublicOrigin(app)).toBe(TEST_ORIGIN);

		await changePublicOrigin(app, admin, { publicOrigin: 'https://mediation.example.gov.cn/' });
		expect(await readPublicOrigin(app)).toBe('https://mediation.example.gov.cn');
		expect(await describePublicOrigin(app, admin)).toEqual({
			stored: 'https://mediation.example.gov.cn',
			setBy: admin.displayName,
			setAt: expect.any(Date),
			override: null
		});

		for (const publicOrigin of ['http://evil.example/verify', 'javascript:alert(1)', '', 'x'.repeat(300)]) {
			await expectAppError(changePublicOrigin(app, admin, { publicOrigin }), 'VALIDATION');
		}
		await expectAppError(changePublicOrigin(app, admin, 'https://evil.example'), 'VALIDATION');
		expect(await readPublicOrigin(app)).toBe('https://mediation.example.gov.cn');
	});

	test("a village's admin and a mediator may neither see nor change it", async ({ app }) => {
		const { eastAdmin, eastMediator } = await setUpNetwork(app);
		for (const actor of [eastAdmin, eastMediator]) {
			await expectAppError(changePublicOrigin(app, actor, { publicOrigin: 'https://evil.example' }), 'FORBIDDEN');
			await expectAppError(describePublicOrigin(app, actor), 'FORBIDDEN');
		}
		expect(await readPublicOrigin(app)).toBe(TEST_ORIGIN);
	});

	describe('with ORIGIN set', () => {
		test.override('appEnv', { ORIGIN: 'https://proxy.example.gov.cn/' });

		test('ORIGIN overrides the stored address, which the settings page still shows', async ({ app }) => {
			const { admin } = await setUpNetwork(app);
			expect(await readPublicOrigin(app)).toBe('https://proxy.example.gov.cn');
			await changePublicOrigin(app, admin, { publicOrigin: 'https://stored.example.gov.cn' });
			expect(await readPublicOrigin(app)).toBe('https://proxy.example.gov.cn');
			expect(await describePublicOrigin(app, admin)).toMatchObject({
				stored: 'https://stored.example.gov.cn',
				override: 'https://proxy.example.gov.cn'
			});
		});
	});

	test('an installation set up before there was one has none: nothing is built on a guess', async ({ app }) => {
		await setUpNetwork(app);
		await app.db.update(installation).set({ publicOrigin: null });
		await expectAppError(readPublicOrigin(app), 'PUBLIC_ORIGIN_UNSET');
	});
});
