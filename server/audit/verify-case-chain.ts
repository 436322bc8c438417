import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { caseEvents } from '../db/schema.ts';
import { caseEventHash, GENESIS_HASH, type HashedCaseEvent } from './case-event-hash.ts';

export type ChainBreak = 'missing_event' | 'prev_mismatch' | 'hash_mismatch';

export type ChainVerdict = { intact: true; events: number } | { intact: false; brokenAt: number; reason: ChainBreak };

/**
 * Checks one case's events, in sequence order: that their numbers run 1..n,
 * that each links to the hash of the one before, and that each hash matches
 * its content. `brokenAt` is the first sequence number that fails.
 *
 * Events cut off the end leave a shorter chain that is still intact: the chain
 * alone cannot tell. Catching that needs the latest hash kept somewhere else.
 */
export function chainVerdict(events: readonly (HashedCaseEvent & { hash: string })[]): ChainVerdict {
	let prevHash = GENESIS_HASH;
	for (const [index, event] of events.entries()) {
		const seq = index + 1;
		if (event.seq !== seq) return { intact: false, brokenAt: seq, reason: 'missing_event' };
		if (event.prevHash !== prevHash) return { intact: false, brokenAt: seq, reason: 'prev_mismatch' };
		if (caseEventHash(event) !== event.hash) return { intact: false, brokenAt: seq, reason: 'hash_mismatch' };
		prevHash = event.hash;
	}
	return { intact: true, events: events.length };
}

/** Re-reads a case's audit events and checks their chain. */
export async function verifyCaseChain(db: Db, caseId: string): Promise<ChainVerdict> {
	const events = await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.seq));
	return chainVerdict(events);
}
