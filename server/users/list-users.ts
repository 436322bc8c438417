import { asc, eq, like } from 'drizzle-orm';
import type { CommitteePosition } from '#shared/orgs.ts';
import type { Actor, Role } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { committeeMembers, committees, orgNodes, users } from '../db/schema.ts';
import { scopeRoot } from '../orgs/subtree.ts';

export type UserRow = {
	id: string;
	username: string;
	displayName: string;
	phone: string | null;
	role: Role;
	active: boolean;
	orgNodeId: string | null;
	orgNodeName: string | null;
	committeeId: string | null;
	committeeName: string | null;
	position: CommitteePosition | null;
};

/** Users whose home node lies in the actor's subtree, by name. */
export async function listUsers(db: Db, actor: Actor): Promise<UserRow[]> {
	const root = await scopeRoot(db, actor);
	return db
		.select({
			id: users.id,
			username: users.username,
			displayName: users.displayName,
			phone: users.phone,
			role: users.role,
			active: users.active,
			orgNodeId: users.orgNodeId,
			orgNodeName: orgNodes.name,
			committeeId: committees.id,
			committeeName: committees.name,
			position: committeeMembers.position
		})
		.from(users)
		.innerJoin(orgNodes, eq(orgNodes.id, users.orgNodeId))
		.leftJoin(committeeMembers, eq(committeeMembers.userId, users.id))
		.leftJoin(committees, eq(committees.id, committeeMembers.committeeId))
		.where(like(orgNodes.path, `${root.path}%`))
		.orderBy(asc(users.displayName), asc(users.username));
}
