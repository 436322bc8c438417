import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { caseNumberCounters, orgNodes } from '../db/schema.ts';

/** Used when the town has no code of its own. */
const FALLBACK_TOWN_CODE = 'TJ';

/**
 * The next case number of the town the place lies in, e.g. `2026-QSZ-000123`:
 * year, town code, and a counter per town and year that the upsert's row lock
 * keeps gap-free under concurrent intake.
 */
export async function nextCaseNumber(tx: Db, placePath: string, now = new Date()): Promise<string> {
	const ancestors = await tx
		.select({ id: orgNodes.id, kind: orgNodes.kind, code: orgNodes.code })
		.from(orgNodes)
		.where(inArray(orgNodes.id, placePath.split('/').filter(Boolean)));
	const town = ancestors.find((node) => node.kind === 'town') ?? ancestors[0];
	const year = now.getFullYear();
	const [counter] = await tx
		.insert(caseNumberCounters)
		.values({ townId: town.id, year, last: 1 })
		.onConflictDoUpdate({
			target: [caseNumberCounters.townId, caseNumberCounters.year],
			set: { last: sql`${caseNumberCounters.last} + 1` }
		})
		.returning({ last: caseNumberCounters.last });
	return `${year}-${town.code ?? FALLBACK_TOWN_CODE}-${String(counter.last).padStart(6, '0')}`;
}
