import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import { caseChainLookupSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import { visibleCases } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { caseEvents, cases } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { chainVerdict, type ChainVerdict } from './verify-case-chain.ts';

/** How many of the most recently changed cases one look at the audit page verifies. */
export const CHAIN_CHECK_LIMIT = 200;

export type CheckedChain = { caseId: string; number: string; updatedAt: Date; verdict: ChainVerdict };
export type BrokenChain = CheckedChain & { verdict: Extract<ChainVerdict, { intact: false }> };

export type ChainsReport = {
	checked: number;
	intact: number;
	broken: BrokenChain[];
	/** The case asked for by number, if one was: null when none of the actor's cases has that number. */
	lookup: { number: string; chain: CheckedChain | null } | null;
};

const isBroken = (chain: CheckedChain): chain is BrokenChain => !chain.verdict.intact;

/**
 * Verifies the audit chains of the cases in the admin's subtree: the most
 * recently changed ones, and one more looked up by its number. All their
 * events are read in one query and checked in memory.
 */
export async function verifyCaseChains(
	db: Db,
	actor: Actor,
	input: unknown = {},
	limit = CHAIN_CHECK_LIMIT
): Promise<ChainsReport> {
	authorize(actor, 'audit:verify');
	const { number } = parseInput(caseChainLookupSchema, input);
	const scope = await visibleCases(db, actor);
	const columns = { caseId: cases.id, number: cases.number, updatedAt: cases.updatedAt };
	const [recent, looked] = await Promise.all([
		db.select(columns).from(cases).where(scope).orderBy(desc(cases.updatedAt), desc(cases.id)).limit(limit),
		number
			? db
					.select(columns)
					.from(cases)
					.where(and(scope, eq(cases.number, number)))
			: []
	]);
	const targets = [...recent, ...looked.filter((row) => !recent.some((r) => r.caseId === row.caseId))];
	const eventsByCase = new Map(targets.map((row) => [row.caseId, [] as (typeof caseEvents.$inferSelect)[]]));
	if (targets.length) {
		const events = await db
			.select()
			.from(caseEvents)
			.where(inArray(caseEvents.caseId, [...eventsByCase.keys()]))
			.orderBy(asc(caseEvents.caseId), asc(caseEvents.seq));
		for (const event of events) eventsByCase.get(event.caseId)!.push(event);
	}
	const checked = new Map(
		targets.map((row) => [row.caseId, { ...row, verdict: chainVerdict(eventsByCase.get(row.caseId)!) }])
	);
	const checkedRecent = recent.map((row) => checked.get(row.caseId)!);
	return {
		checked: checkedRecent.length,
		intact: checkedRecent.filter((chain) => chain.verdict.intact).length,
		broken: checkedRecent.filter(isBroken),
		lookup: number ? { number, chain: looked[0] ? checked.get(looked[0].caseId)! : null } : null
	};
}
