import { and, count, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cases, performancePlans } from '../db/schema.ts';
import { withinPeriod, type Period } from '../insight/period.ts';
import { underPaths } from '../insight/statistics-scope.ts';

/**
 * How many cases filed in the period, handled in the subtrees, have their agreement performed
 * (履行完毕): read live from the plans, which are few beside the cases.
 */
export async function countPerformed(db: Db, paths: string[], period: Period): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(performancePlans)
		.innerJoin(cases, eq(cases.id, performancePlans.caseId))
		.where(
			and(
				isNotNull(performancePlans.performedAt),
				underPaths(cases.committeePath, paths),
				...withinPeriod(cases.createdAt, period)
			)
		);
	return row.n;
}

/** The case list's filter on performed agreements. */
export const performedCase = sql`exists (select from ${performancePlans} where ${performancePlans.caseId} = ${cases.id} and ${performancePlans.performedAt} is not null)`;
