import { and, eq, like } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { orgNodes } from '../db/schema.ts';

export type OrgNode = typeof orgNodes.$inferSelect;

/** The actor's own node: the root of everything they may see and manage. */
export async function scopeRoot(db: Db, actor: Actor): Promise<OrgNode> {
	if (!actor.orgNodeId) throw new AppError('FORBIDDEN');
	const [root] = await db.select().from(orgNodes).where(eq(orgNodes.id, actor.orgNodeId));
	if (!root) throw new AppError('FORBIDDEN');
	return root;
}

/** A node inside the actor's subtree; a node elsewhere is reported as missing, not as forbidden. */
export async function nodeInScope(db: Db, actor: Actor, nodeId: string): Promise<OrgNode> {
	const root = await scopeRoot(db, actor);
	const [node] = await db
		.select()
		.from(orgNodes)
		.where(and(eq(orgNodes.id, nodeId), like(orgNodes.path, `${root.path}%`)));
	if (!node) throw new AppError('NOT_FOUND');
	return node;
}
