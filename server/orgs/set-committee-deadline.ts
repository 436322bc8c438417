import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { committeeDeadlineSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { committees } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { nodeInScope } from './subtree.ts';

/** How many days a committee has for a case from acceptance; applies to cases it accepts from now on. */
export async function setCommitteeDeadline(app: { db: Db; log: Logger }, actor: Actor, input: unknown): Promise<void> {
	authorize(actor, 'org:manage');
	const { committeeId, deadlineDays } = parseInput(committeeDeadlineSchema, input);
	const [committee] = await app.db.select().from(committees).where(eq(committees.id, committeeId));
	if (!committee) throw new AppError('NOT_FOUND');
	await nodeInScope(app.db, actor, committee.orgNodeId);
	await app.db.update(committees).set({ deadlineDays }).where(eq(committees.id, committeeId));
	app.log.info({ actorId: actor.id, committeeId, deadlineDays }, 'committee deadline set');
}
