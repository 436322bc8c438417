import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../../db/client.ts';
import { committees } from '../../db/schema.ts';
import { nodeInScope, type OrgNode } from '../../orgs/subtree.ts';

/**
 * A node of the admin's subtree whose seal they may change: one that holds a committee, as only
 * committees seal agreements. Elsewhere it is missing, as the other admin pages report it.
 */
export async function sealNode(db: Db, actor: Actor, orgNodeId: string): Promise<OrgNode> {
	const node = await nodeInScope(db, actor, orgNodeId);
	const [committee] = await db.select({ id: committees.id }).from(committees).where(eq(committees.orgNodeId, node.id));
	if (!committee) throw new AppError('VALIDATION', { fields: { orgNodeId: ['no_committee'] } });
	return node;
}
