import { and, eq, inArray, notLike, or } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import {
	caseExperts,
	caseMediators,
	caseParties,
	cases,
	committeeMembers,
	committees,
	mediationSessions,
	orgNodes,
	sessionParticipants,
	users
} from '../db/schema.ts';
import { nodeInScope, scopeRoot } from '../orgs/subtree.ts';

/**
 * A user the actor may manage: everything the user can reach lies in the actor's subtree — their
 * home node, the committees they sit on, and the cases they work on, report, advise on, take part
 * in or are party to. Whoever could reset the password of someone who reaches further could log
 * in as them and reach further too; only an admin above all of it may act.
 */
export async function userInScope(db: Db, actor: Actor, userId: string): Promise<typeof users.$inferSelect> {
	const [user] = await db.select().from(users).where(eq(users.id, userId));
	if (!user?.orgNodeId) throw new AppError('NOT_FOUND');
	await nodeInScope(db, actor, user.orgNodeId);
	const { path } = await scopeRoot(db, actor);
	if (await reachesBeyond(db, user.id, path)) throw new AppError('BEYOND_SCOPE');
	return user;
}

/** Whether a committee or a case the user is part of lies outside the subtree at `path`. */
async function reachesBeyond(db: Db, userId: string, path: string): Promise<boolean> {
	const [committee] = await db
		.select({ id: committees.id })
		.from(committeeMembers)
		.innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
		.innerJoin(orgNodes, eq(orgNodes.id, committees.orgNodeId))
		.where(and(eq(committeeMembers.userId, userId), notLike(orgNodes.path, `${path}%`)))
		.limit(1);
	if (committee) return true;
	const casesOf = (table: typeof caseMediators | typeof caseExperts | typeof caseParties) =>
		inArray(cases.id, db.select({ id: table.caseId }).from(table).where(eq(table.userId, userId)));
	const [kase] = await db
		.select({ id: cases.id })
		.from(cases)
		.where(
			and(
				notLike(cases.committeePath, `${path}%`),
				or(
					eq(cases.reporterId, userId),
					casesOf(caseMediators),
					casesOf(caseExperts),
					casesOf(caseParties),
					inArray(
						cases.id,
						db
							.select({ id: mediationSessions.caseId })
							.from(sessionParticipants)
							.innerJoin(mediationSessions, eq(mediationSessions.id, sessionParticipants.sessionId))
							.where(eq(sessionParticipants.userId, userId))
					)
				)
			)
		)
		.limit(1);
	return Boolean(kase);
}
