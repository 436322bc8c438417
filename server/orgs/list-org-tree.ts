import { asc, eq, like } from 'drizzle-orm';
import type { OrgKind } from '#shared/orgs.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { committees, orgNodes } from '../db/schema.ts';
import { scopeRoot } from './subtree.ts';

export type OrgTreeNode = {
	id: string;
	parentId: string | null;
	kind: OrgKind;
	name: string;
	code: string | null;
	depth: number;
	committee: { id: string; name: string; deadlineDays: number } | null;
};

/** The actor's subtree in display order: each node followed by its children, siblings by name. */
export async function listOrgTree(db: Db, actor: Actor): Promise<OrgTreeNode[]> {
	const root = await scopeRoot(db, actor);
	const rows = await db
		.select({
			node: orgNodes,
			committee: { id: committees.id, name: committees.name, deadlineDays: committees.deadlineDays }
		})
		.from(orgNodes)
		.leftJoin(committees, eq(committees.orgNodeId, orgNodes.id))
		.where(like(orgNodes.path, `${root.path}%`))
		.orderBy(asc(orgNodes.name));
	const children = new Map<string | null, typeof rows>();
	for (const row of rows) {
		const parent = row.node.id === root.id ? null : row.node.parentId;
		children.set(parent, [...(children.get(parent) ?? []), row]);
	}
	const ordered: OrgTreeNode[] = [];
	const visit = (parentId: string | null, depth: number) => {
		for (const { node, committee } of children.get(parentId) ?? []) {
			ordered.push({
				id: node.id,
				parentId: node.parentId,
				kind: node.kind,
				name: node.name,
				code: node.code,
				depth,
				committee
			});
			visit(node.id, depth + 1);
		}
	};
	visit(null, 0);
	return ordered;
}
