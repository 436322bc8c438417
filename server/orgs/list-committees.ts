import { asc, eq, like } from 'drizzle-orm';
import type { OrgKind } from '#shared/orgs.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { committees, orgNodes } from '../db/schema.ts';
import { scopeRoot } from './subtree.ts';

export type CommitteeOption = { id: string; name: string; kind: OrgKind };

/** The committees of the actor's subtree, by name: where an admin may hand a case. */
export async function listCommittees(db: Db, actor: Actor): Promise<CommitteeOption[]> {
	const root = await scopeRoot(db, actor);
	return db
		.select({ id: committees.id, name: committees.name, kind: orgNodes.kind })
		.from(committees)
		.innerJoin(orgNodes, eq(orgNodes.id, committees.orgNodeId))
		.where(like(orgNodes.path, `${root.path}%`))
		.orderBy(asc(committees.name));
}
