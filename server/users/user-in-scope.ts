import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { nodeInScope } from '../orgs/subtree.ts';

/** A user the actor may manage: one whose home node lies in the actor's subtree. */
export async function userInScope(db: Db, actor: Actor, userId: string): Promise<typeof users.$inferSelect> {
	const [user] = await db.select().from(users).where(eq(users.id, userId));
	if (!user?.orgNodeId) throw new AppError('NOT_FOUND');
	await nodeInScope(db, actor, user.orgNodeId);
	return user;
}
