import { asc, eq, like } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { followUpDelaysSchema } from '#shared/follow-ups.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { committees, orgNodes } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { scopeRoot } from '../orgs/subtree.ts';
import { parseInput } from '../parse-input.ts';
import { installationAdmin } from '../setup/installation-admin.ts';

export type FollowUpDelay = { committeeId: string; name: string; days: number };

async function committeesOf(db: Db, actor: Actor) {
	const root = await scopeRoot(db, actor);
	return db
		.select({ committeeId: committees.id, name: committees.name, days: committees.followUpDays })
		.from(committees)
		.innerJoin(orgNodes, eq(orgNodes.id, committees.orgNodeId))
		.where(like(orgNodes.path, `${root.path}%`))
		.orderBy(asc(orgNodes.path));
}

/** Each committee of the installation admin's tree with the days from an agreement taking effect to its first follow-up. */
export async function listFollowUpDelays(db: Db, actor: Actor): Promise<FollowUpDelay[]> {
	await installationAdmin(db, actor);
	return committeesOf(db, actor);
}

/**
 * An installation's admin sets the follow-up delay of the committees of their tree (1–365 days);
 * agreements that take effect from then on are followed up after it. Refused, changing nothing: a
 * day count out of range (VALIDATION, on `committees.<n>.days`), a committee outside their tree
 * (NOT_FOUND).
 */
export async function setFollowUpDelays(app: { db: Db; log: Logger }, actor: Actor, input: unknown) {
	await installationAdmin(app.db, actor);
	const { committees: delays } = parseInput(followUpDelaysSchema, input);
	const inScope = new Set((await committeesOf(app.db, actor)).map((row) => row.committeeId));
	if (delays.some((delay) => !inScope.has(delay.committeeId))) throw new AppError('NOT_FOUND');
	await app.db.transaction(async (tx) => {
		for (const { committeeId, days } of delays) {
			await tx.update(committees).set({ followUpDays: days }).where(eq(committees.id, committeeId));
		}
	});
	app.log.info({ actorId: actor.id, delays }, 'follow-up delays changed');
	return delays;
}
