import type { Actor } from '#shared/roles.ts';
import { publicOriginSchema } from '#shared/validation.ts';
import type { Db } from '../db/client.ts';
import { installation } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { installationAdmin } from './installation-admin.ts';

/**
 * An installation's admin changes the public address that agreements and links are built on.
 * Who changed it and when stay with it, and the log keeps what it was before.
 */
export async function changePublicOrigin(
	app: { db: Db; log: Logger },
	actor: Actor,
	input: unknown
): Promise<{ publicOrigin: string }> {
	await installationAdmin(app.db, actor);
	const { publicOrigin } = parseInput(publicOriginSchema, input);
	const [before] = await app.db.select({ publicOrigin: installation.publicOrigin }).from(installation);
	await app.db.update(installation).set({ publicOrigin, publicOriginSetById: actor.id, publicOriginSetAt: new Date() });
	app.log.info({ actorId: actor.id, from: before?.publicOrigin ?? null, to: publicOrigin }, 'public origin changed');
	return { publicOrigin };
}
