import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Db } from '../db/client.ts';
import { committees, orgNodes } from '../db/schema.ts';

export type HandlingCommittee = { id: string; name: string; path: string; deadlineDays: number };

const idsOnPath = (path: string) => path.split('/').filter(Boolean);

/** The nearest committee on the given nodes, deepest first. */
async function nearestCommittee(db: Db, nodeIds: string[]): Promise<HandlingCommittee | null> {
	if (!nodeIds.length) return null;
	const [row] = await db
		.select({ id: committees.id, name: committees.name, path: orgNodes.path, deadlineDays: committees.deadlineDays })
		.from(committees)
		.innerJoin(orgNodes, eq(orgNodes.id, committees.orgNodeId))
		.where(inArray(orgNodes.id, nodeIds))
		.orderBy(desc(sql`length(${orgNodes.path})`))
		.limit(1);
	return row ?? null;
}

/** The node where a dispute arose; only villages, communities and their groups qualify. */
export async function disputePlace(db: Db, nodeId: string) {
	const [node] = await db
		.select()
		.from(orgNodes)
		.where(and(eq(orgNodes.id, nodeId), inArray(orgNodes.kind, ['village', 'community', 'group'])));
	if (!node) throw new AppError('VALIDATION', { fields: { villageId: ['invalid'] } });
	return node;
}

/** A new case goes to the committee of its village: the place's own committee, or the nearest one above it. */
export async function committeeForPlace(db: Db, placePath: string): Promise<HandlingCommittee> {
	const committee = await nearestCommittee(db, idsOnPath(placePath));
	if (!committee) throw new AppError('CONFLICT', { fields: { villageId: ['no_committee'] } });
	return committee;
}

/** The committee one tier up from `path` (a committee's node path), or null at the top. */
export async function parentCommittee(db: Db, path: string): Promise<HandlingCommittee | null> {
	return nearestCommittee(db, idsOnPath(path).slice(0, -1));
}

export async function committeeById(db: Db, committeeId: string): Promise<HandlingCommittee | null> {
	const [row] = await db
		.select({ id: committees.id, name: committees.name, path: orgNodes.path, deadlineDays: committees.deadlineDays })
		.from(committees)
		.innerJoin(orgNodes, eq(orgNodes.id, committees.orgNodeId))
		.where(eq(committees.id, committeeId));
	return row ?? null;
}
