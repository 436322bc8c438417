import { randomUUID } from 'node:crypto';
import { AppError } from '#shared/errors.ts';
import { ORG_CHILD_KINDS } from '#shared/orgs.ts';
import type { Actor } from '#shared/roles.ts';
import { orgNodeCreateSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { orgNodes } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { uniqueField } from '../db/unique-field.ts';
import { nodeInScope, type OrgNode } from './subtree.ts';

export async function createOrgNode(app: { db: Db; log: Logger }, actor: Actor, input: unknown): Promise<OrgNode> {
	authorize(actor, 'org:manage');
	const { parentId, kind, name, code } = parseInput(orgNodeCreateSchema, input);
	const parent = await nodeInScope(app.db, actor, parentId);
	if (!ORG_CHILD_KINDS[parent.kind].includes(kind)) {
		throw new AppError('VALIDATION', { fields: { kind: ['invalid'] } });
	}
	const id = randomUUID();
	const [node] = await uniqueField('name', () =>
		app.db
			.insert(orgNodes)
			.values({ id, parentId, kind, name, code, path: `${parent.path}${id}/` })
			.returning()
	);
	app.log.info({ actorId: actor.id, nodeId: id, kind }, 'org node created');
	return node;
}
