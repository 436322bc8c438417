/**
 * Who may write the live agreement draft: parties suggest until the mediator lets them edit (an
 * audited setting), readers never write, and someone who may not write still syncs.
 */
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { caseEvents, draftAuthors } from '#server/db/schema.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { editors, expectConverged, serverDoc } from '../support/draft-convergence.ts';
import { fingerprint, opened, roundTrip, sideClient, storedUpdates, test } from '../support/draft-client.ts';
import { codeOf, replyOf } from '../support/socket-client.ts';

describe('who may write', () => {
	test('a party only suggests until the mediator lets parties edit; a reader never writes', async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		const party = await opened(client, world.applicant.cookie, world.caseId);
		const reader = await opened(client, world.cookies.admin, world.caseId);
		const draftId = mediator.draftId;
		const before = fingerprint(await serverDoc(app, draftId));
		const rows = (await storedUpdates(app, draftId)).length;

		expect(codeOf(await party.append('【申请人】要求赔偿'))).toBe('FORBIDDEN');
		expect(codeOf(await reader.append('【管理员】改一改'))).toBe('FORBIDDEN');
		await roundTrip(mediator.socket, expert.socket);
		expect(fingerprint(await serverDoc(app, draftId))).toEqual(before);
		expect(await storedUpdates(app, draftId)).toHaveLength(rows);
		expect(await app.db.select().from(draftAuthors).where(eq(draftAuthors.clientId, party.doc.clientID))).toEqual([]);
		expect([mediator.received, expert.received]).toEqual([0, 0]);

		// Only a mediator decides.
		expect(codeOf(await replyOf(ask(expert.socket, 'draft:setPartiesMayEdit', { draftId, allowed: true })))).toBe(
			'FORBIDDEN'
		);
		expect(codeOf(await replyOf(ask(party.socket, 'draft:setPartiesMayEdit', { draftId, allowed: true })))).toBe(
			'FORBIDDEN'
		);
		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId, allowed: true });
		await roundTrip(party.socket);
		expect(party.changed.at(-1)?.snapshot.partiesMayEdit).toBe(true);

		// The party's client sends what the server lacks again, as any client does after a refusal.
		expect((await party.sync()).ok).toBe(true);
		expect((await party.type('【申请人】', '，并恢复排水沟')).ok).toBe(true);
		// (A new document: this one's own history already has the refused change in it.)
		expect(codeOf(await sideClient(reader, mediator.doc).append('【管理员】改一改'))).toBe('FORBIDDEN');
		const converged = await expectConverged(app, [mediator, expert, party]);
		expect(converged.text).toContain('【申请人】要求赔偿，并恢复排水沟\n');
		expect(converged.text).not.toContain('【管理员】');
		const reopened = await mediator.open(world.caseId);
		expect(reopened.ok && reopened.data.authors[String(party.doc.clientID)]).toBe('李秀英');

		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId, allowed: false });
		expect(codeOf(await party.type('【申请人】', '！'))).toBe('FORBIDDEN');
		expect(fingerprint(await serverDoc(app, draftId))).toEqual(converged);
	});

	test('someone who may not write still syncs a draft with deletions in it, and stores nothing', async ({
		app,
		world,
		client
	}) => {
		const [mediator] = await editors(client, world);
		expect((await mediator.append('【将删除】')).ok).toBe(true);
		expect((await mediator.edit((f) => f.delete(f.length - 1, 1))).ok).toBe(true);
		const rows = (await storedUpdates(app, mediator.draftId)).length;

		// Their answer to the server's step 1 carries their whole delete set, which the server has.
		const party = await client(world.applicant.cookie);
		const reader = await client(world.cookies.admin);
		for (const c of [party, reader]) {
			expect((await c.open(world.caseId)).ok).toBe(true);
			expect(codeOf(await c.sync())).toBe('ok');
		}
		// So does an editor's when it reconnects with nothing new.
		expect(codeOf(await mediator.sync())).toBe('ok');
		expect(await storedUpdates(app, mediator.draftId)).toHaveLength(rows);
		await expectConverged(app, [mediator, party, reader]);
	});

	test('a party allowed to edit may send many updates without waiting for each answer', async ({
		app,
		world,
		client
	}) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId: mediator.draftId, allowed: true });
		const party = await opened(client, world.respondent.cookie, world.caseId);
		expect((await party.append('【被申请人】')).ok).toBe(true);
		const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => party.type('【被申请人】', `${i},`)));
		expect(replies.map(codeOf)).toEqual(replies.map(() => 'ok'));
		const converged = await expectConverged(app, [mediator, party]);
		expect(converged.text).toContain(`【被申请人】${Array.from({ length: 40 }, (_, i) => `${i},`).join('')}\n`);
	});

	test("the mediator's setting is recorded in the case's audit log: who, and whether parties may edit", async ({
		app,
		world,
		client
	}) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		const { draftId } = mediator;
		const recorded = () =>
			app.db
				.select()
				.from(caseEvents)
				.where(and(eq(caseEvents.caseId, world.caseId), eq(caseEvents.action, 'agreement.parties_may_edit')))
				.orderBy(asc(caseEvents.seq));
		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId, allowed: true });
		// Setting what is set already changes nothing, and records nothing.
		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId, allowed: true });
		await ask(mediator.socket, 'draft:setPartiesMayEdit', { draftId, allowed: false });
		const by = { actorId: world.network.eastMediator.id, actorLabel: 'east-mediator-名', ip: expect.any(String) };
		expect(await recorded()).toMatchObject([
			{ ...by, data: { draftId, allowed: true } },
			{ ...by, data: { draftId, allowed: false } }
		]);

		// A refused setting records nothing either.
		const expert = await opened(client, world.cookies.expert, world.caseId);
		expect(codeOf(await replyOf(ask(expert.socket, 'draft:setPartiesMayEdit', { draftId, allowed: true })))).toBe(
			'FORBIDDEN'
		);
		expect(await recorded()).toHaveLength(2);
	});
});
