import { asc, eq, sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { caseEventHash, GENESIS_HASH } from '#server/audit/case-event-hash.ts';
import { recordCaseEvent, type CaseEventInput } from '#server/audit/record-case-event.ts';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { caseEvents, cases, committees } from '#server/db/schema.ts';
import { CLIENT, expectAppError, test } from '../support/integration-test.ts';

let caseSerial = 0;

/** A bare case row in the town, so that the events under test are the only ones. */
async function addCase(app: App, townId: string): Promise<string> {
	const [committee] = await app.db.select().from(committees).where(eq(committees.orgNodeId, townId));
	const [row] = await app.db
		.insert(cases)
		.values({
			number: `2026-QSZ-${String(++caseSerial).padStart(6, '0')}`,
			disputeType: 'neighbour',
			channel: 'online',
			facts: '排水沟堵塞，雨水倒灌。',
			claims: '疏通排水沟。',
			villageId: townId,
			committeeId: committee.id,
			committeePath: `/${townId}/`,
			searchText: '',
			searchTokens: []
		})
		.returning({ id: cases.id });
	return row.id;
}

function record(app: App, event: CaseEventInput) {
	return app.db.transaction((tx) => recordCaseEvent(tx, event));
}

/** An applicant's submission, then two steps by staff: three events in all. */
async function addHistory(app: App, caseId: string, staffId: string): Promise<void> {
	await record(app, {
		caseId,
		actorLabel: '申请人 周桂兰',
		action: 'case.submitted',
		// Keys out of order and nested, since jsonb hands them back in an order of its own.
		data: { parties: [{ side: 'applicant', name: '周桂兰' }], amountCents: 320000, channel: 'online' },
		ip: CLIENT.ip
	});
	await record(app, { caseId, actorId: staffId, action: 'case.accept', data: { status: 'accepted' }, ip: CLIENT.ip });
	await record(app, { caseId, actorId: staffId, action: 'case.schedule', data: { at: '2026-03-02T09:00:00.000Z' } });
}

function eventsOf(app: App, caseId: string) {
	return app.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.seq));
}

describe('case audit chain', () => {
	test('appended events form an intact chain from the genesis hash', async ({ app, town }) => {
		const caseId = await addCase(app, town.townId);

		await addHistory(app, caseId, town.admin.id);

		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: true, events: 3 });
		const events = await eventsOf(app, caseId);
		expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
		expect(events[0]).toMatchObject({ actorId: null, actorLabel: '申请人 周桂兰', ip: CLIENT.ip });
		expect(events[1]).toMatchObject({ actorId: town.admin.id, action: 'case.accept' });
		expect(events.map((e) => e.prevHash)).toEqual([GENESIS_HASH, events[0].hash, events[1].hash]);
		expect(events[0].hash).toMatch(/^[0-9a-f]{64}$/);
	});

	test('a case without events is an intact, empty chain', async ({ app, town }) => {
		expect(await verifyCaseChain(app.db, await addCase(app, town.townId))).toEqual({ intact: true, events: 0 });
	});

	test('an event edited in SQL fails its hash', async ({ app, town }) => {
		const caseId = await addCase(app, town.townId);
		await addHistory(app, caseId, town.admin.id);

		await app.db.execute(
			sql`update case_events set data = '{"status": "rejected"}'::jsonb where case_id = ${caseId} and seq = 2`
		);

		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: false, brokenAt: 2, reason: 'hash_mismatch' });
	});

	test('an edited event whose hash is recomputed breaks the link from the next one', async ({ app, town }) => {
		const caseId = await addCase(app, town.townId);
		await addHistory(app, caseId, town.admin.id);
		const [, second] = await eventsOf(app, caseId);
		const forged = { ...second, data: { status: 'rejected' } };

		await app.db
			.update(caseEvents)
			.set({ data: forged.data, hash: caseEventHash(forged) })
			.where(eq(caseEvents.id, second.id));

		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: false, brokenAt: 3, reason: 'prev_mismatch' });
	});

	test('a deleted event in the middle is missing', async ({ app, town }) => {
		const caseId = await addCase(app, town.townId);
		await addHistory(app, caseId, town.admin.id);

		await app.db.execute(sql`delete from case_events where case_id = ${caseId} and seq = 2`);

		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: false, brokenAt: 2, reason: 'missing_event' });
	});

	test('a deleted last event goes unnoticed by the chain alone', async ({ app, town }) => {
		const caseId = await addCase(app, town.townId);
		await addHistory(app, caseId, town.admin.id);

		await app.db.execute(sql`delete from case_events where case_id = ${caseId} and seq = 3`);

		// A known limit of any hash chain: a cut tail leaves a shorter, valid chain.
		// Detecting it needs the latest hash kept outside this table.
		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: true, events: 2 });
	});

	test('concurrent appends to one case queue up into one chain', async ({ app, town }) => {
		const caseId = await addCase(app, town.townId);

		const appended = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				record(app, { caseId, actorId: town.admin.id, action: 'note.added', data: { note: i } })
			)
		);

		expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: true, events: 10 });
	});

	test('each case has a chain of its own', async ({ app, town }) => {
		const [first, second] = [await addCase(app, town.townId), await addCase(app, town.townId)];
		for (let i = 0; i < 3; i++) {
			await record(app, { caseId: first, actorId: town.admin.id, action: 'note.added', data: { note: i } });
			await record(app, { caseId: second, actorId: town.admin.id, action: 'note.added', data: { note: i } });
		}

		await app.db.execute(sql`update case_events set action = 'case:closed' where case_id = ${first} and seq = 1`);

		expect((await eventsOf(app, second)).map((e) => [e.seq, e.prevHash === GENESIS_HASH])).toEqual([
			[1, true],
			[2, false],
			[3, false]
		]);
		expect(await verifyCaseChain(app.db, first)).toEqual({ intact: false, brokenAt: 1, reason: 'hash_mismatch' });
		expect(await verifyCaseChain(app.db, second)).toEqual({ intact: true, events: 3 });
	});

	test('an event rolls back with the transaction that recorded it', async ({ app, town }) => {
		const caseId = await addCase(app, town.townId);
		await record(app, { caseId, actorId: town.admin.id, action: 'case.accept', data: {} });

		await expect(
			app.db.transaction(async (tx) => {
				await recordCaseEvent(tx, { caseId, actorId: town.admin.id, action: 'case.schedule', data: {} });
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		await record(app, { caseId, actorId: town.admin.id, action: 'case.reject', data: {} });

		expect((await eventsOf(app, caseId)).map((e) => e.action)).toEqual(['case.accept', 'case.reject']);
		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: true, events: 2 });
	});

	test('recording for an unknown case fails', async ({ app }) => {
		await expectAppError(
			record(app, { caseId: crypto.randomUUID(), actorLabel: '系统', action: 'note.added', data: {} }),
			'NOT_FOUND'
		);
	});
});
