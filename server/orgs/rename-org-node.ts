import { eq } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import { orgNodeRenameSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { orgNodes } from '../db/schema.ts';
import { uniqueField } from '../db/unique-field.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { nodeInScope } from './subtree.ts';

export async function renameOrgNode(app: { db: Db; log: Logger }, actor: Actor, input: unknown): Promise<void> {
	authorize(actor, 'org:manage');
	const { nodeId, name } = parseInput(orgNodeRenameSchema, input);
	await nodeInScope(app.db, actor, nodeId);
	await uniqueField('name', () => app.db.update(orgNodes).set({ name }).where(eq(orgNodes.id, nodeId)));
	app.log.info({ actorId: actor.id, nodeId }, 'org node renamed');
}
