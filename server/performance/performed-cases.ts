import { and, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { performancePlans } from '../db/schema.ts';

/** Which of the cases have their agreement performed (履行完毕), and when: for a page of a case list. */
export async function performedCases(db: Db, caseIds: string[]): Promise<Map<string, Date>> {
	if (!caseIds.length) return new Map();
	const rows = await db
		.select({ caseId: performancePlans.caseId, performedAt: performancePlans.performedAt })
		.from(performancePlans)
		.where(and(inArray(performancePlans.caseId, caseIds), isNotNull(performancePlans.performedAt)));
	return new Map(rows.map((row) => [row.caseId, row.performedAt!]));
}
