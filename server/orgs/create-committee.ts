import { AppError } from '#shared/errors.ts';
import { COMMITTEE_KINDS } from '#shared/orgs.ts';
import type { Actor } from '#shared/roles.ts';
import { committeeCreateSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { committees } from '../db/schema.ts';
import { uniqueField } from '../db/unique-field.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { nodeInScope } from './subtree.ts';

/** Sets up the mediation committee of a node; a node holds at most one. */
export async function createCommittee(
	app: { db: Db; log: Logger },
	actor: Actor,
	input: unknown
): Promise<typeof committees.$inferSelect> {
	authorize(actor, 'org:manage');
	const { orgNodeId, name } = parseInput(committeeCreateSchema, input);
	const node = await nodeInScope(app.db, actor, orgNodeId);
	if (!COMMITTEE_KINDS.includes(node.kind)) throw new AppError('VALIDATION', { fields: { orgNodeId: ['invalid'] } });
	const [committee] = await uniqueField('orgNodeId', () =>
		app.db.insert(committees).values({ orgNodeId, name }).returning()
	);
	app.log.info({ actorId: actor.id, committeeId: committee.id }, 'committee created');
	return committee;
}
