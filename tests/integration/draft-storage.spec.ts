/**
 * The live agreement draft's storage: every update in PostgreSQL before its acknowledgement, a
 * failed write neither acknowledged nor passed on, and compaction.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, vi } from 'vitest';
import { DraftStore } from '#server/agreements/draft-store.ts';
import { draftSnapshots } from '#server/db/schema.ts';
import { editors, expectConverged, serverDoc } from '../support/draft-convergence.ts';
import {
	covers,
	type DraftClient,
	fingerprint,
	paragraphText,
	roundTrip,
	storedUpdates,
	test
} from '../support/draft-client.ts';
import { codeOf } from '../support/socket-client.ts';

describe('storage', () => {
	test('every acknowledged update is already in PostgreSQL when the acknowledgement arrives', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【甲】'), expert.append('【乙】')]);
		const checks: Promise<void>[] = [];
		const sendAndCheck = (c: DraftClient, marker: string, text: string) => {
			const update = c.change((f) => {
				const node = paragraphText(f, marker);
				node.insert(node.length, text);
			})!;
			return c.send(update).then((reply) => {
				expect(reply.ok).toBe(true);
				// Checked the moment the acknowledgement is in, before anything else is sent.
				const check = storedUpdates(app, c.draftId).then((rows) => {
					expect(rows.some((row) => Buffer.compare(row.update, update) === 0)).toBe(true);
				});
				checks.push(check);
				return check;
			});
		};
		const sends = [];
		for (let i = 0; i < 20; i++)
			sends.push(sendAndCheck(mediator, '【甲】', `a${i}`), sendAndCheck(expert, '【乙】', `b${i}`));
		await Promise.all(sends);
		await Promise.all(checks);
		expect(checks).toHaveLength(40);
		await expectConverged(app, [mediator, expert]);
	});

	test('an update the database fails to store is neither acknowledged nor passed on; a resync stores it', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const before = fingerprint(await serverDoc(app, mediator.draftId));
		const rows = (await storedUpdates(app, mediator.draftId)).length;
		const logged = vi.spyOn(app.log, 'error');
		const write = vi
			.spyOn(app.database, 'prepared')
			.mockImplementationOnce(
				() => Promise.reject(new Error('could not extend file: No space left on device')) as never
			);
		expect(codeOf(await mediator.append('【未保存】'))).toBe('UNAVAILABLE');
		write.mockRestore();
		expect(logged).toHaveBeenCalledWith(expect.anything(), 'draft updates not stored; the draft is reloaded');
		// Nobody heard of it, and the server's copy is the database's again.
		await roundTrip(expert.socket);
		expect(expert.received).toBe(0);
		expect(fingerprint(await serverDoc(app, mediator.draftId))).toEqual(before);
		expect(await storedUpdates(app, mediator.draftId)).toHaveLength(rows);

		// The client's next sync sends it again, and this time it is kept.
		expect((await mediator.sync()).ok).toBe(true);
		expect((await expectConverged(app, [mediator, expert])).text).toContain('【未保存】');
	});

	test('compaction: past 200 updates a snapshot replaces them, and a reload reads the same', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【甲】'), expert.append('【乙】')]);
		const type = async (c: DraftClient, marker: string, count: number) => {
			for (let i = 0; i < count; i++) expect((await c.type(marker, `${i % 10}`)).ok).toBe(true);
		};
		await Promise.all([type(mediator, '【甲】', 105), type(expert, '【乙】', 100)]);
		const draftId = mediator.draftId;
		let snapshot: typeof draftSnapshots.$inferSelect | undefined;
		await vi.waitFor(
			async () => {
				[snapshot] = await app.db.select().from(draftSnapshots).where(eq(draftSnapshots.draftId, draftId));
				expect(snapshot).toBeDefined();
			},
			{ timeout: 10_000, interval: 50 }
		);
		const rows = await storedUpdates(app, draftId);
		// Of the 208 updates stored, only those after the snapshot are left.
		expect(rows.length).toBeLessThan(20);
		expect(rows.every((row) => row.id > snapshot!.uptoId)).toBe(true);
		const converged = await expectConverged(app, [mediator, expert]);
		expect(converged.text).toContain(`【甲】${'0123456789'.repeat(10)}01234\n`);
		// Every acknowledged update is in the snapshot or after it.
		const fromDatabase = await new DraftStore(app.database, app.log).live(draftId);
		expect([...mediator.acked, ...expert.acked].filter((update) => !covers(fromDatabase.doc, update))).toEqual([]);
		fromDatabase.doc.destroy();

		// Editing goes on after it, and reloads still agree.
		expect((await expert.type('【甲】', '！')).ok).toBe(true);
		expect((await expectConverged(app, [mediator, expert])).text).toContain('01234！\n');
	});
});
