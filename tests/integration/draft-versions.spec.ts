/**
 * Versions of the live agreement draft: saved, restored as a new change, frozen for signing with
 * the SHA-256 of its text, and unfrozen.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { agreementDrafts, caseEvents, draftVersions } from '#server/db/schema.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { editors, expectConverged } from '../support/draft-convergence.ts';
import { opened, roundTrip, sideClient, storedUpdates, test } from '../support/draft-client.ts';
import { askRaw, codeOf, replyOf } from '../support/socket-client.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('versions', () => {
	test('save, restore as a new change, freeze with the SHA-256 of the text; frozen, nobody writes until the mediator unfreezes, which supersedes it', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const party = await opened(client, world.applicant.cookie, world.caseId);
		const { draftId } = mediator;
		expect((await mediator.append('【第一版】')).ok).toBe(true);
		const v1 = await ask(mediator.socket, 'draft:saveVersion', { draftId, name: '初稿' });
		expect(v1).toMatchObject({
			seq: 1,
			name: '初稿',
			text: mediator.text,
			sha256: null,
			createdByName: 'east-mediator-名'
		});
		expect((await expert.append('【第二版追加】')).ok).toBe(true);
		await roundTrip(mediator.socket);
		const v2 = await ask(mediator.socket, 'draft:saveVersion', { draftId, name: '二稿' });
		expect(v2.seq).toBe(2);
		expect(v2.text).toContain('【第二版追加】');

		for (const [event, payload] of [
			['draft:saveVersion', { draftId, name: '专家版' }],
			['draft:restoreVersion', { draftId, versionId: v1.id }],
			['draft:freeze', { draftId, versionId: v1.id }]
		] as const) {
			expect(codeOf(await askRaw(expert.socket, event, payload))).toBe('FORBIDDEN');
		}

		// Restoring is a change like any other: the history grows.
		const rows = (await storedUpdates(app, draftId)).length;
		await ask(mediator.socket, 'draft:restoreVersion', { draftId, versionId: v1.id });
		expect(await storedUpdates(app, draftId)).toHaveLength(rows + 1);
		const restored = await expectConverged(app, [mediator, expert, party]);
		expect(restored.text).toBe(v1.text);

		// Freezing the version the draft reads as changes nothing in it.
		const frozen = await ask(mediator.socket, 'draft:freeze', { draftId, versionId: v1.id });
		expect(frozen).toMatchObject({
			id: v1.id,
			sha256: sha256(v1.text),
			frozenAt: expect.any(String),
			supersededAt: null
		});
		expect(await storedUpdates(app, draftId)).toHaveLength(rows + 1);
		const [draft] = await app.db.select().from(agreementDrafts).where(eq(agreementDrafts.id, draftId));
		expect(draft.frozenVersionId).toBe(v1.id);
		await roundTrip(mediator.socket, expert.socket, party.socket);
		for (const c of [mediator, expert, party]) expect(c.changed.at(-1)?.snapshot.frozenVersionId).toBe(v1.id);

		const actions = async () =>
			(
				await app.db
					.select({ action: caseEvents.action, data: caseEvents.data })
					.from(caseEvents)
					.where(and(eq(caseEvents.caseId, world.caseId)))
					.orderBy(asc(caseEvents.seq))
			).filter((e) => e.action.startsWith('agreement.'));
		expect(await actions()).toEqual([
			{ action: 'agreement.drafted', data: { draftId } },
			{ action: 'agreement.version_saved', data: { draftId, versionId: v1.id, name: '初稿' } },
			{ action: 'agreement.version_saved', data: { draftId, versionId: v2.id, name: '二稿' } },
			{ action: 'agreement.version_restored', data: { draftId, versionId: v1.id, name: '初稿' } },
			{ action: 'agreement.frozen', data: { draftId, versionId: v1.id, name: '初稿', sha256: sha256(v1.text) } }
		]);

		// While a version is frozen nobody writes, the mediator neither: what is signed stays what everyone sees.
		const frozenRows = (await storedUpdates(app, draftId)).length;
		expect(codeOf(await expert.type('【第一版】', '（改）'))).toBe('FORBIDDEN');
		expect(codeOf(await sideClient(mediator).append('【调解员】再改'))).toBe('FORBIDDEN');
		expect(await storedUpdates(app, draftId)).toHaveLength(frozenRows);
		expect(codeOf(await replyOf(ask(expert.socket, 'draft:unfreeze', { draftId })))).toBe('FORBIDDEN');

		// The mediator unfreezes: that supersedes the frozen version, and everyone is told.
		const seen = [mediator, expert, party].map((c) => c.changed.length);
		expect(await ask(mediator.socket, 'draft:unfreeze', { draftId })).toEqual({});
		await roundTrip(mediator.socket, expert.socket, party.socket);
		for (const [i, c] of [mediator, expert, party].entries()) {
			const unfrozen = c.changed.slice(seen[i]).find((fact) => fact.unfrozen);
			expect(unfrozen?.unfrozen).toMatchObject({
				id: v1.id,
				sha256: sha256(v1.text),
				supersededAt: expect.any(String)
			});
			expect(unfrozen?.snapshot.frozenVersionId).toBeNull();
		}
		const [v1Row] = await app.db.select().from(draftVersions).where(eq(draftVersions.id, v1.id));
		expect(v1Row.supersededAt).not.toBeNull();
		expect(
			(await app.db.select().from(agreementDrafts).where(eq(agreementDrafts.id, draftId)))[0].frozenVersionId
		).toBeNull();
		expect((await actions()).at(-1)).toEqual({
			action: 'agreement.unfrozen',
			data: { draftId, versionId: v1.id, name: '初稿', sha256: sha256(v1.text) }
		});
		expect(codeOf(await replyOf(ask(mediator.socket, 'draft:unfreeze', { draftId })))).toBe('CONFLICT');
		// Written again: the refused change goes in as any client sends what the server lacks.
		expect((await expert.sync()).ok).toBe(true);
		expect((await expectConverged(app, [mediator, expert, party])).text).toContain('【第一版】（改）');

		// Freezing a version the draft does not read as first makes it read so, for everyone.
		const frozen2 = await ask(mediator.socket, 'draft:freeze', { draftId, versionId: v2.id });
		expect(frozen2.sha256).toBe(sha256(v2.text));
		expect((await expectConverged(app, [mediator, expert, party])).text).toBe(v2.text);
		expect((await actions()).at(-1)).toMatchObject({ action: 'agreement.frozen', data: { versionId: v2.id } });
	});
});
