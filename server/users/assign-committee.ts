import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { CommitteePosition } from '#shared/orgs.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { committeeMembers, committees } from '../db/schema.ts';
import { nodeInScope } from '../orgs/subtree.ts';

/**
 * Makes `committeeId` the user's one committee (or none). Runs inside the
 * caller's transaction; the committee must lie in the actor's subtree.
 */
export async function assignCommittee(
	tx: Db,
	actor: Actor,
	userId: string,
	committeeId: string | undefined,
	position: CommitteePosition
): Promise<void> {
	if (committeeId) {
		const [committee] = await tx.select().from(committees).where(eq(committees.id, committeeId));
		if (!committee) throw new AppError('VALIDATION', { fields: { committeeId: ['invalid'] } });
		await nodeInScope(tx, actor, committee.orgNodeId);
	}
	await tx.delete(committeeMembers).where(eq(committeeMembers.userId, userId));
	if (committeeId) await tx.insert(committeeMembers).values({ committeeId, userId, position });
}
