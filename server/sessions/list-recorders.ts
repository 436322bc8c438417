import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { committeeMembers, users } from '../db/schema.ts';

/** Who may keep a mediation's record (记录人): the committee's active members, by name. */
export async function listRecorders(db: Db, committeeId: string): Promise<{ id: string; displayName: string }[]> {
	return db
		.select({ id: users.id, displayName: users.displayName })
		.from(committeeMembers)
		.innerJoin(users, eq(users.id, committeeMembers.userId))
		.where(and(eq(committeeMembers.committeeId, committeeId), eq(users.active, true)))
		.orderBy(asc(users.displayName));
}
