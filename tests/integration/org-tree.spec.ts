import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { committees, orgNodes } from '#server/db/schema.ts';
import { createCommittee } from '#server/orgs/create-committee.ts';
import { createOrgNode } from '#server/orgs/create-org-node.ts';
import { listOrgTree } from '#server/orgs/list-org-tree.ts';
import { renameOrgNode } from '#server/orgs/rename-org-node.ts';
import type { Actor } from '#shared/roles.ts';
import { actorOfUser, addOrgNode, addUser, expectAppError, test } from '../support/integration-test.ts';

/** A town with two villages, and an admin whose home is the first village. */
async function villageAdminScene(app: App, townAdmin: Actor, townId: string) {
	const town = { id: townId };
	const ownVillage = await addOrgNode(app, townAdmin, town, 'village', '东村');
	const otherVillage = await addOrgNode(app, townAdmin, town, 'village', '西村');
	const villageAdmin = await actorOfUser(
		app,
		await addUser(app, townAdmin, { username: 'village-admin', role: 'admin', orgNodeId: ownVillage.id })
	);
	return { town, ownVillage, otherVillage, villageAdmin };
}

/** A second town beside the installed one, as another installation's data would be. */
async function insertForeignTown(app: App) {
	const id = randomUUID();
	await app.db.insert(orgNodes).values({ id, kind: 'town', name: '白水镇', path: `/${id}/` });
	return { id };
}

describe('createOrgNode', () => {
	test('a village under the town is stored with its path below the town', async ({ app, town }) => {
		const village = await createOrgNode(app, town.admin, {
			parentId: town.townId,
			kind: 'village',
			name: '东村',
			code: 'DC'
		});

		expect(village).toMatchObject({ kind: 'village', name: '东村', code: 'DC', parentId: town.townId });
		expect(village.path).toBe(`/${town.townId}/${village.id}/`);
		const [stored] = await app.db.select().from(orgNodes).where(eq(orgNodes.id, village.id));
		expect(stored).toEqual(village);
	});

	test('a group under a village is allowed', async ({ app, town }) => {
		const village = await addOrgNode(app, town.admin, { id: town.townId }, 'village', '东村');
		const group = await addOrgNode(app, town.admin, village, 'group', '一组');
		expect(group).toMatchObject({ kind: 'group', parentId: village.id, path: `${village.path}${group.id}/` });
	});

	test.for([
		['a town under a village', 'village', 'town'],
		['a village under a group', 'group', 'village'],
		['a group directly under the town', 'town', 'group'],
		['a county under the town', 'town', 'county']
	] as const)('%s is refused with VALIDATION on kind', async ([, parentKind, kind], { app, town }) => {
		const village = await addOrgNode(app, town.admin, { id: town.townId }, 'village', '东村');
		const group = await addOrgNode(app, town.admin, village, 'group', '一组');
		const parent = { town: { id: town.townId }, village, group }[parentKind];
		const before = await app.db.$count(orgNodes);

		await expectAppError(addOrgNode(app, town.admin, parent, kind, '新节点'), 'VALIDATION', { kind: ['invalid'] });
		expect(await app.db.$count(orgNodes)).toBe(before);
	});

	test('a sibling with the same name is VALIDATION taken; a cousin with it is fine', async ({ app, town }) => {
		const east = await addOrgNode(app, town.admin, { id: town.townId }, 'village', '东村');
		const west = await addOrgNode(app, town.admin, { id: town.townId }, 'village', '西村');
		await addOrgNode(app, town.admin, east, 'group', '一组');

		await expectAppError(addOrgNode(app, town.admin, { id: town.townId }, 'village', '东村'), 'VALIDATION', {
			name: ['taken']
		});
		await expect(addOrgNode(app, town.admin, west, 'group', '一组')).resolves.toMatchObject({ parentId: west.id });
	});

	test('malformed input is a VALIDATION error with field codes', async ({ app, town }) => {
		await expectAppError(createOrgNode(app, town.admin, { parentId: 'town', kind: 'castle', name: '' }), 'VALIDATION', {
			parentId: ['invalid'],
			kind: ['invalid'],
			name: ['required']
		});
	});

	test('a parent that does not exist is NOT_FOUND', async ({ app, town }) => {
		await expectAppError(addOrgNode(app, town.admin, { id: randomUUID() }, 'village', '东村'), 'NOT_FOUND');
	});

	test('a node in another town is NOT_FOUND', async ({ app, town }) => {
		const foreignTown = await insertForeignTown(app);
		await expectAppError(addOrgNode(app, town.admin, foreignTown, 'village', '东村'), 'NOT_FOUND');
	});

	test('an admin scoped to a village cannot touch the town or a sibling village', async ({ app, town }) => {
		const { ownVillage, otherVillage, villageAdmin } = await villageAdminScene(app, town.admin, town.townId);

		await expectAppError(addOrgNode(app, villageAdmin, { id: town.townId }, 'village', '南村'), 'NOT_FOUND');
		await expectAppError(addOrgNode(app, villageAdmin, otherVillage, 'group', '一组'), 'NOT_FOUND');
		await expect(addOrgNode(app, villageAdmin, ownVillage, 'group', '一组')).resolves.toMatchObject({
			parentId: ownVillage.id
		});
	});

	test('a user without org:manage is FORBIDDEN, whatever the input', async ({ app, town }) => {
		const mediator = await actorOfUser(app, await addUser(app, town.admin, { role: 'mediator' }));

		await expectAppError(addOrgNode(app, mediator, { id: town.townId }, 'village', '东村'), 'FORBIDDEN');
		await expectAppError(createOrgNode(app, mediator, 'nonsense'), 'FORBIDDEN');
	});
});

describe('renameOrgNode', () => {
	test('renames a node in scope; a sibling name is taken; out of scope is NOT_FOUND', async ({ app, town }) => {
		const { ownVillage, otherVillage, villageAdmin } = await villageAdminScene(app, town.admin, town.townId);

		await renameOrgNode(app, town.admin, { nodeId: ownVillage.id, name: '东风村' });
		const [renamed] = await app.db.select().from(orgNodes).where(eq(orgNodes.id, ownVillage.id));
		expect(renamed.name).toBe('东风村');

		await expectAppError(
			renameOrgNode(app, town.admin, { nodeId: ownVillage.id, name: otherVillage.name }),
			'VALIDATION',
			{
				name: ['taken']
			}
		);
		await expectAppError(renameOrgNode(app, villageAdmin, { nodeId: otherVillage.id, name: '北村' }), 'NOT_FOUND');
		await expectAppError(renameOrgNode(app, villageAdmin, { nodeId: town.townId, name: '新镇' }), 'NOT_FOUND');
	});
});

describe('createCommittee', () => {
	test('a node holds one committee: a second one is VALIDATION taken', async ({ app, town }) => {
		const village = await addOrgNode(app, town.admin, { id: town.townId }, 'village', '东村');

		const committee = await createCommittee(app, town.admin, { orgNodeId: village.id, name: '东村调委会' });
		expect(committee).toMatchObject({ orgNodeId: village.id, name: '东村调委会' });

		await expectAppError(createCommittee(app, town.admin, { orgNodeId: village.id, name: '又一个' }), 'VALIDATION', {
			orgNodeId: ['taken']
		});
		await expectAppError(
			createCommittee(app, town.admin, { orgNodeId: town.townId, name: '镇第二调委会' }),
			'VALIDATION',
			{
				orgNodeId: ['taken']
			}
		);
		expect(await app.db.$count(committees)).toBe(2);
	});

	test('an expert roster cannot hold a committee', async ({ app, town }) => {
		const roster = await addOrgNode(app, town.admin, { id: town.townId }, 'expert_roster', '法律专家库');
		await expectAppError(createCommittee(app, town.admin, { orgNodeId: roster.id, name: '专家调委会' }), 'VALIDATION', {
			orgNodeId: ['invalid']
		});
	});

	test('out of scope is NOT_FOUND and without org:manage FORBIDDEN', async ({ app, town }) => {
		const { otherVillage, villageAdmin } = await villageAdminScene(app, town.admin, town.townId);
		const mediator = await actorOfUser(app, await addUser(app, town.admin));

		await expectAppError(
			createCommittee(app, villageAdmin, { orgNodeId: otherVillage.id, name: '西村调委会' }),
			'NOT_FOUND'
		);
		await expectAppError(
			createCommittee(app, mediator, { orgNodeId: otherVillage.id, name: '西村调委会' }),
			'FORBIDDEN'
		);
		expect(await app.db.$count(committees)).toBe(1);
	});
});

describe('listOrgTree', () => {
	/** Names are plain ASCII so that the expected order holds under any database collation. */
	async function buildTree(app: App, admin: Actor, townId: string) {
		const town = { id: townId };
		const west = await addOrgNode(app, admin, town, 'village', 'west');
		const east = await addOrgNode(app, admin, town, 'village', 'east');
		await addOrgNode(app, admin, town, 'community', 'market');
		await addOrgNode(app, admin, west, 'group', 'team2');
		await addOrgNode(app, admin, west, 'group', 'team1');
		await addOrgNode(app, admin, east, 'group', 'team9');
		await createCommittee(app, admin, { orgNodeId: east.id, name: 'east committee' });
		return { east, west };
	}

	test('lists each node followed by its children, siblings by name, with depth and committee', async ({
		app,
		town
	}) => {
		await buildTree(app, town.admin, town.townId);

		const tree = await listOrgTree(app.db, town.admin);

		expect(tree.map((node) => [node.depth, node.name])).toEqual([
			[0, '青石镇'],
			[1, 'east'],
			[2, 'team9'],
			[1, 'market'],
			[1, 'west'],
			[2, 'team1'],
			[2, 'team2']
		]);
		expect(tree[0]).toMatchObject({ kind: 'town', code: 'QSZ', committee: { name: '青石镇人民调解委员会' } });
		expect(tree[1].committee?.name).toBe('east committee');
		expect(tree[4].committee).toBeNull();
		for (const node of tree.slice(1)) expect(tree.map((n) => n.id)).toContain(node.parentId);
	});

	test("a village admin sees only their village's subtree, rooted at depth 0", async ({ app, town }) => {
		const { west } = await buildTree(app, town.admin, town.townId);
		const westAdmin = await actorOfUser(app, await addUser(app, town.admin, { role: 'admin', orgNodeId: west.id }));

		const tree = await listOrgTree(app.db, westAdmin);

		expect(tree.map((node) => [node.depth, node.name])).toEqual([
			[0, 'west'],
			[1, 'team1'],
			[1, 'team2']
		]);
	});

	test('nodes of another town never appear', async ({ app, town }) => {
		const foreignTown = await insertForeignTown(app);

		const tree = await listOrgTree(app.db, town.admin);

		expect(tree.map((node) => node.id)).toEqual([town.townId]);
		await expectAppError(renameOrgNode(app, town.admin, { nodeId: foreignTown.id, name: '黑水镇' }), 'NOT_FOUND');
	});
});
