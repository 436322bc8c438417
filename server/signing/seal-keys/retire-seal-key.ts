import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sealKeys } from '../../db/schema.ts';

/** Retires the org node's current seal, if it has one; it stays stored, to verify what it sealed. */
export async function retireSealKey(tx: Db, orgNodeId: string, at = new Date()): Promise<void> {
	await tx
		.update(sealKeys)
		.set({ retiredAt: at })
		.where(and(eq(sealKeys.orgNodeId, orgNodeId), isNull(sealKeys.retiredAt)));
}
