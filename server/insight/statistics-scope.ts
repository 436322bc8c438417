import { and, eq, inArray, like, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { orgNodes } from '../db/schema.ts';
import { committeePathsOf } from '../cases/case-scope.ts';
import { scopeRoot } from '../orgs/subtree.ts';

/**
 * The org paths whose committees' work the actor may see in figures and
 * warnings: an admin their subtree, a mediator their committees' subtrees
 * (cases assigned to them elsewhere count for that committee, not theirs).
 */
export async function statisticsRoots(db: Db, actor: Actor): Promise<string[]> {
	if (actor.role === 'admin') return [(await scopeRoot(db, actor)).path];
	if (actor.role === 'mediator') return committeePathsOf(db, actor.id);
	return [];
}

/** The paths the figures cover: the chosen node's subtree, which must lie in the actor's; all of theirs by default. */
export async function statisticsPaths(db: Db, actor: Actor, orgId: string | undefined): Promise<string[]> {
	const roots = await statisticsRoots(db, actor);
	if (!orgId) return roots;
	const [node] = await db.select({ path: orgNodes.path }).from(orgNodes).where(eq(orgNodes.id, orgId));
	if (!node || !roots.some((root) => node.path.startsWith(root)))
		throw new AppError('VALIDATION', { fields: { org: ['invalid'] } });
	return [node.path];
}

/** `column` lies under one of `paths`; nothing when there are none. */
export function underPaths(column: AnyColumn, paths: string[]): SQL {
	return paths.length ? or(...paths.map((path) => like(column, `${path}%`)))! : sql`false`;
}

/** Groups hand their cases to their village's committee; expert rosters handle none. */
const STATISTICS_NODE_KINDS = ['county', 'town', 'village', 'community', 'mediation_body'] as const;

export type StatisticsNode = { id: string; name: string; depth: number };

/** The parts of the organisation the actor may narrow the figures to: the nodes under their roots that can handle cases. */
export async function listStatisticsNodes(db: Db, actor: Actor): Promise<StatisticsNode[]> {
	const roots = await statisticsRoots(db, actor);
	if (!roots.length) return [];
	const rows = await db
		.select({ id: orgNodes.id, name: orgNodes.name, path: orgNodes.path })
		.from(orgNodes)
		.where(and(underPaths(orgNodes.path, roots), inArray(orgNodes.kind, STATISTICS_NODE_KINDS)))
		.orderBy(orgNodes.path);
	const depthOf = (path: string) => path.split('/').length;
	const top = Math.min(...rows.map((row) => depthOf(row.path)));
	return rows.map((row) => ({ id: row.id, name: row.name, depth: depthOf(row.path) - top }));
}
