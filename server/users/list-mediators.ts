import { and, asc, eq, like } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { orgNodes, users } from '../db/schema.ts';

/** Mediators whose home node lies in the actor's subtree: the choices of the case list's mediator filter. */
export async function listMediators(db: Db, actor: Actor): Promise<{ id: string; displayName: string }[]> {
	if (!actor.orgNodeId) return [];
	const [root] = await db.select({ path: orgNodes.path }).from(orgNodes).where(eq(orgNodes.id, actor.orgNodeId));
	if (!root) return [];
	return db
		.select({ id: users.id, displayName: users.displayName })
		.from(users)
		.innerJoin(orgNodes, eq(orgNodes.id, users.orgNodeId))
		.where(and(eq(users.role, 'mediator'), like(orgNodes.path, `${root.path}%`)))
		.orderBy(asc(users.displayName));
}
