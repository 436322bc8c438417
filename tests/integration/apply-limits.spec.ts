import { count, eq, sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { caseEvidence, cases } from '#server/db/schema.ts';
import { AppError } from '#shared/errors.ts';
import { intakeForm, setUpNetwork } from '../support/case-network.ts';
import { pdf } from '../support/evidence-samples.ts';
import { expectAppError, test as base } from '../support/integration-test.ts';

const MB = 1024 * 1024;
const test = base.extend('network', async ({ app }) => setUpNetwork(app));

async function casesIn(app: App, committeeId?: string): Promise<number> {
	const [row] = await app.db
		.select({ n: count() })
		.from(cases)
		.where(committeeId ? eq(cases.committeeId, committeeId) : undefined);
	return row.n;
}

/** Sends the applications all at once; returns the refusals. */
async function sendTogether(app: App, applications: { villageId: string; ip: string }[]): Promise<AppError[]> {
	const outcomes = await Promise.allSettled(
		applications.map(({ villageId, ip }) => applyOnline(app, intakeForm(villageId), [], ip))
	);
	return outcomes.flatMap((outcome) => {
		if (outcome.status === 'fulfilled') return [];
		if (!(outcome.reason instanceof AppError)) throw outcome.reason;
		return [outcome.reason];
	});
}

describe('online applications per address', () => {
	test.override('appEnv', { APPLY_MAX_PER_ADDRESS: '3' });

	test('an address sending many at once gets the first few through and a wait for the rest', async ({
		app,
		network
	}) => {
		const refused = await sendTogether(
			app,
			Array.from({ length: 8 }, () => ({ villageId: network.nodes.east.id, ip: '198.51.100.9' }))
		);

		expect(await casesIn(app)).toBe(3);
		expect(refused).toHaveLength(5);
		for (const error of refused) {
			expect(error.code).toBe('RATE_LIMITED');
			expect(error.retryAfterSeconds).toBeGreaterThan(0);
		}
		// Another address is not held up by that one.
		await applyOnline(app, intakeForm(network.nodes.east.id), [], '198.51.100.10');
		expect(await casesIn(app)).toBe(4);
	});
});

describe('online applications per committee and day', () => {
	test.override('appEnv', { APPLY_MAX_PER_COMMITTEE: '4' });

	test('a committee takes its daily ceiling, counted in the database, even sent at once', async ({ app, network }) => {
		const refused = await sendTogether(
			app,
			Array.from({ length: 9 }, (_, i) => ({ villageId: network.nodes.east.id, ip: `198.51.100.${i + 1}` }))
		);

		expect(await casesIn(app, network.committees.east.id)).toBe(4);
		expect(refused).toHaveLength(5);
		for (const error of refused) {
			expect(error).toMatchObject({ code: 'RATE_LIMITED', fields: { villageId: ['committee_busy'] } });
			expect(error.retryAfterSeconds).toBeGreaterThan(0);
		}
		// Another committee still takes applications, and a day later this one does again.
		await applyOnline(app, intakeForm(network.nodes.west.id), [], '198.51.100.50');
		await app.db.update(cases).set({ createdAt: sql`now() - interval '25 hours'` });
		await applyOnline(app, intakeForm(network.nodes.east.id), [], '198.51.100.51');
		expect(await casesIn(app, network.committees.east.id)).toBe(5);
	});
});

describe('evidence of one online application', () => {
	test('may not add up past the limit, however it is split into files', async ({ app, network }) => {
		// Three files, each under the 20 MB a file may have, 24 MB together.
		const files = Array.from(
			{ length: 3 },
			(_, i) => new File([new Uint8Array(pdf()), new Uint8Array(8 * MB)], `证据${i}.pdf`)
		);

		await expectAppError(
			applyOnline(app, intakeForm(network.nodes.east.id), files, '198.51.100.9'),
			'PAYLOAD_TOO_LARGE',
			{
				evidence: ['total_too_large']
			}
		);
		expect(await casesIn(app)).toBe(0);
		expect(await app.db.select({ n: count() }).from(caseEvidence)).toEqual([{ n: 0 }]);

		await applyOnline(app, intakeForm(network.nodes.east.id), files.slice(0, 2), '198.51.100.9');
		expect(await app.db.select({ n: count() }).from(caseEvidence)).toEqual([{ n: 2 }]);
	});
});
