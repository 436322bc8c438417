import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { orgNodes } from '../db/schema.ts';

export type DisputePlace = {
	id: string;
	name: string;
	kind: 'village' | 'community' | 'group';
	villageName: string | null;
};

/**
 * Every place a dispute can arise in (under the node at `within`, when given), villages first
 * with their groups under them: what the intake forms offer. The tree is small (a town's villages).
 */
export async function listDisputePlaces(db: Db, within?: string): Promise<DisputePlace[]> {
	const rows = await db
		.select({
			id: orgNodes.id,
			name: orgNodes.name,
			kind: orgNodes.kind,
			parentId: orgNodes.parentId,
			path: orgNodes.path
		})
		.from(orgNodes)
		.where(inArray(orgNodes.kind, ['village', 'community', 'group']));
	const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'zh-CN');
	// A group keeps its village's name when only the group is offered (a grid that is one group).
	const offered = new Set(rows.filter((row) => !within || row.path.startsWith(within)).map((row) => row.id));
	const villages = rows.filter((row) => row.kind !== 'group').sort(byName);
	const places = villages.flatMap((village) => [
		{ id: village.id, name: village.name, kind: village.kind as DisputePlace['kind'], villageName: null },
		...rows
			.filter((row) => row.kind === 'group' && row.parentId === village.id)
			.sort(byName)
			.map((group) => ({ id: group.id, name: group.name, kind: 'group' as const, villageName: village.name }))
	]);
	return places.filter((place) => offered.has(place.id));
}
