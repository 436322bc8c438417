import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { mediationSessions } from '../db/schema.ts';
import { findJoin, type RoomIdentity } from '../sessions/participant-of.ts';

/**
 * Whether any of `identities` takes part in the case: an account that sees it (its mediators,
 * committee, invited experts, parties with an account), or an invitation to one of its sessions.
 */
export async function takesPartInCase(db: Db, caseId: string, identities: RoomIdentity[]): Promise<boolean> {
	for (const identity of identities) {
		if ('actor' in identity) {
			try {
				await findVisibleCase(db, identity.actor, caseId);
				return true;
			} catch (error) {
				if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
			}
			continue;
		}
		const join = await findJoin(db, identity.joinToken);
		if (!join) continue;
		const [session] = await db
			.select({ caseId: mediationSessions.caseId })
			.from(mediationSessions)
			.where(eq(mediationSessions.id, join.sessionId));
		if (session?.caseId === caseId) return true;
	}
	return false;
}
