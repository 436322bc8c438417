import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { userUpdateSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { nodeInScope } from '../orgs/subtree.ts';
import { parseInput } from '../parse-input.ts';
import { assignCommittee } from './assign-committee.ts';
import { userInScope } from './user-in-scope.ts';

/** Changes a user's role, home node and committee. A changed role ends their sessions. */
export async function updateUser(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown
): Promise<void> {
	authorize(actor, 'user:manage');
	const data = parseInput(userUpdateSchema, input);
	const user = await userInScope(app.db, actor, data.userId);
	if (user.id === actor.id && data.role !== actor.role) throw new AppError('CONFLICT');
	await nodeInScope(app.db, actor, data.orgNodeId);
	await app.db.transaction(async (tx) => {
		await tx.update(users).set({ role: data.role, orgNodeId: data.orgNodeId }).where(eq(users.id, user.id));
		await assignCommittee(tx, actor, user.id, data.committeeId, data.position);
		if (data.role !== user.role) await revokeUserSessions(tx, user.id);
	});
	if (data.role !== user.role) await app.events.emit('user.role_changed', { userId: user.id });
	app.log.info({ actorId: actor.id, userId: user.id, role: data.role }, 'user updated');
}
