import { eq } from 'drizzle-orm';
import type { CommitteePosition } from '#shared/orgs.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { committeeMembers, committees, orgNodes } from '../db/schema.ts';

export type ActorProfile = {
	orgName: string | null;
	committee: { name: string; position: CommitteePosition } | null;
};

/** Where the actor belongs: their home node and committee. */
export async function actorProfile(db: Db, actor: Actor): Promise<ActorProfile> {
	const [org] = actor.orgNodeId
		? await db.select({ name: orgNodes.name }).from(orgNodes).where(eq(orgNodes.id, actor.orgNodeId))
		: [];
	const [membership] = await db
		.select({ name: committees.name, position: committeeMembers.position })
		.from(committeeMembers)
		.innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
		.where(eq(committeeMembers.userId, actor.id));
	return { orgName: org?.name ?? null, committee: membership ?? null };
}
