import { AppError } from '#shared/errors.ts';
import type { OrgKind } from '#shared/orgs.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { scopeRoot } from '../orgs/subtree.ts';

/** Where admins who speak for the whole installation sit: the town's justice office, or a county above it. */
const INSTALLATION_ADMIN_KINDS: readonly OrgKind[] = ['county', 'town'];

/** The actor, if they may change the installation's own settings; a village's admin may not. */
export async function installationAdmin(db: Db, actor: Actor): Promise<Actor> {
	authorize(actor, 'settings:manage');
	const home = await scopeRoot(db, actor);
	if (!INSTALLATION_ADMIN_KINDS.includes(home.kind)) throw new AppError('FORBIDDEN');
	return actor;
}
