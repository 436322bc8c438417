/**
 * Editing the live agreement draft together over real sockets: concurrent editing that converges
 * everywhere (clients, the server's document, a reload from the database), authorship of Yjs
 * client ids, and offline editing.
 */
import { describe, expect } from 'vitest';
import { DraftStore } from '#server/agreements/draft-store.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { editors, expectConverged, serverDoc } from '../support/draft-convergence.ts';
import {
	fingerprint,
	opened,
	paragraph,
	paragraphText,
	roundTrip,
	sideClient,
	storedUpdates,
	test
} from '../support/draft-client.ts';
import { codeOf, connected } from '../support/socket-client.ts';

describe('editing together', () => {
	test('two editors typing at once converge on the same document everywhere', async ({ app, world, client }) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【调解员】'), expert.append('【专家】')]);
		await roundTrip(mediator.socket, expert.socket);

		// Both type into the same paragraph without waiting for each other; the expert also deletes
		// in their own paragraph, the mediator a paragraph of the template.
		const sends = [];
		for (let i = 0; i < 25; i++) {
			sends.push(mediator.type('【调解员】', `m${i} `), expert.type('【调解员】', `e${i} `));
			sends.push(expert.type('【专家】', 'zz'));
			if (i % 5 === 4) sends.push(expert.edit((f) => paragraphText(f, '【专家】').delete('【专家】'.length, 1)));
			if (i === 10) sends.push(mediator.edit((f) => f.delete(1, 1)));
		}
		const replies = await Promise.all(sends);
		expect(replies.filter((r) => !r.ok)).toEqual([]);

		const converged = await expectConverged(app, [mediator, expert]);
		const typed = converged.text.split('\n').find((line) => line.startsWith('【调解员】'))!;
		expect(typed.slice('【调解员】'.length).split(' ').sort()).toEqual(
			Array.from({ length: 25 }, (_, i) => [`m${i}`, `e${i}`])
				.flat()
				.sort()
		);
		expect(converged.text).toContain(`【专家】${'z'.repeat(45)}\n`);
		expect(converged.text).not.toContain('编号');
		expect(converged.xml).toContain('<paragraph>【专家】');
		// Someone opening later gets the same, from nothing.
		const late = await opened(client, world.cookies.admin, world.caseId);
		expect(fingerprint(late.doc)).toEqual(converged);
	});
});

describe('offline', () => {
	test('edits made offline and meanwhile by others all end up everywhere after reconnecting', async ({
		app,
		world,
		client,
		connect
	}) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【共同段落】'), expert.append('【专家段落】')]);
		await roundTrip(mediator.socket, expert.socket);
		const rows = (await storedUpdates(app, mediator.draftId)).length;

		mediator.socket.disconnect();
		for (const text of ['离线一', '离线二', '离线三'])
			mediator.change((f) => paragraphText(f, '【共同段落】').insert(6, text));
		mediator.change((f) => f.push([paragraph('【离线新段】')]));
		for (const text of ['在线一', '在线二']) expect((await expert.type('【共同段落】', text)).ok).toBe(true);
		expect((await expert.type('【专家段落】', '在线三')).ok).toBe(true);
		expect(mediator.text).not.toContain('在线');

		// A new connection: open, then sync both ways.
		const socket = connect({ cookie: world.cookies.mediator });
		await connected(socket);
		mediator.attach(socket);
		expect((await mediator.open(world.caseId)).ok).toBe(true);
		expect((await mediator.sync()).ok).toBe(true);
		const converged = await expectConverged(app, [mediator, expert]);
		for (const text of ['离线一', '离线二', '离线三', '【离线新段】', '在线一', '在线二', '在线三']) {
			expect(converged.text).toContain(text);
		}
		// The offline edits went in as one update (the answer to the server's step 1).
		expect(await storedUpdates(app, mediator.draftId)).toHaveLength(rows + 3 + 1);
	});
});

describe('authorship', () => {
	test("writing under another author's Yjs client id is refused; the authors are named by client id", async ({
		app,
		world,
		client
	}) => {
		const [mediator, expert] = await editors(client, world);
		await Promise.all([mediator.append('【调解员】'), expert.append('【专家】')]);
		const draftId = mediator.draftId;
		const reopened = await ask(mediator.socket, 'draft:open', { caseId: world.caseId });
		const [template] = Object.keys(mediator.snapshot!.authors).map(Number);
		expect(reopened.authors).toEqual({
			[template]: 'east-mediator-名',
			[mediator.doc.clientID]: 'east-mediator-名',
			[expert.doc.clientID]: 'expert-名'
		});
		const rows = (await storedUpdates(app, draftId)).length;
		const before = fingerprint(await serverDoc(app, draftId));

		/** The expert's connection writing on a copy of the draft under `clientId`. */
		const forge = (clientId: number) => {
			const forger = sideClient(expert);
			forger.doc.clientID = clientId;
			return forger.type('【调解员】', '（专家冒名改的）');
		};
		expect(codeOf(await forge(mediator.doc.clientID))).toBe('FORBIDDEN');
		expect(codeOf(await forge(template))).toBe('FORBIDDEN');
		// Another mediator is another author too.
		const mediator2 = await opened(client, world.cookies.mediator2, world.caseId);
		const forged = sideClient(mediator2);
		forged.doc.clientID = mediator.doc.clientID;
		expect(codeOf(await forged.append('冒名'))).toBe('FORBIDDEN');
		expect(await storedUpdates(app, draftId)).toHaveLength(rows);
		expect(fingerprint(await serverDoc(app, draftId))).toEqual(before);

		// The author of each client id is in the database: a reloaded draft refuses the same.
		const store = new DraftStore(app.database, app.log);
		const expertAuthor = { key: `user:${world.network.expert.id}`, name: 'expert-名' };
		const copy = sideClient(expert);
		copy.doc.clientID = mediator.doc.clientID;
		const update = copy.change((f) => f.push([paragraph('冒名')]))!;
		await expect(store.apply(draftId, update, expertAuthor)).rejects.toMatchObject({ code: 'FORBIDDEN' });
		(await store.live(draftId)).doc.destroy();

		// Their own ids stay theirs.
		expect((await mediator.type('【调解员】', '本人')).ok).toBe(true);
		expect((await expert.type('【专家】', '本人')).ok).toBe(true);
	});
});
