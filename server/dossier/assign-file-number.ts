import { eq, sql } from 'drizzle-orm';
import { formatFileNumber } from '#shared/dossier.ts';
import type { Db } from '../db/client.ts';
import { caseFileCounters, cases, committees } from '../db/schema.ts';
import type { CaseRow } from '../cases/case-scope.ts';

/** The year a file is numbered in: the committee's (China's) calendar year when it closes. */
const yearIn = (date: Date) =>
	Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(date));

/**
 * Gives the case its file number (卷号) inside the caller's transaction, the one that closes it:
 * the committee's counter for the year moves by one under its row lock, so two cases closing at
 * once get consecutive numbers, and a transaction that rolls back gives its number back. A case
 * that has one keeps it.
 */
export async function assignFileNumber(tx: Db, row: CaseRow, now: Date): Promise<string> {
	if (row.fileNumber) return row.fileNumber;
	const year = yearIn(now);
	const [counter] = await tx
		.insert(caseFileCounters)
		.values({ committeeId: row.committeeId, year, last: 1 })
		.onConflictDoUpdate({
			target: [caseFileCounters.committeeId, caseFileCounters.year],
			set: { last: sql`${caseFileCounters.last} + 1` }
		})
		.returning({ last: caseFileCounters.last });
	const [committee] = await tx
		.select({ name: committees.name })
		.from(committees)
		.where(eq(committees.id, row.committeeId));
	const fileNumber = formatFileNumber(year, committee.name, counter.last);
	await tx.update(cases).set({ fileNumber }).where(eq(cases.id, row.id));
	return fileNumber;
}
