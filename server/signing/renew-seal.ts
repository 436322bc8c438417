import type { Actor } from '#shared/roles.ts';
import { orgNodeIdSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { retireSealKey } from './retire-seal-key.ts';
import { generateSealKey, lockOrgNode } from './seal-key-for.ts';
import { sealNode } from './seal-node.ts';

/** A freshly generated seal for an org node of the admin's subtree, in place of its current one. */
export async function renewSeal(app: { db: Db; log: Logger }, actor: Actor, input: unknown): Promise<{ id: string }> {
	authorize(actor, 'org:manage');
	const { orgNodeId } = parseInput(orgNodeIdSchema, input);
	const node = await sealNode(app.db, actor, orgNodeId);
	const { id } = await app.db.transaction(async (tx) => {
		const locked = await lockOrgNode(tx, node.id);
		await retireSealKey(tx, node.id);
		return generateSealKey(tx, locked, actor.id);
	});
	app.log.info({ actorId: actor.id, orgNodeId: node.id, sealKeyId: id }, 'seal generated');
	return { id };
}
