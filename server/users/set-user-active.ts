import { eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { userIdSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { userInScope } from './user-in-scope.ts';

/** Deactivating ends the user's sessions and live connections at once; admins cannot lock themselves out. */
export async function setUserActive(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	active: boolean
): Promise<void> {
	authorize(actor, 'user:manage');
	const { userId } = parseInput(userIdSchema, input);
	const user = await userInScope(app.db, actor, userId);
	if (user.id === actor.id) throw new AppError('CONFLICT');
	await app.db.transaction(async (tx) => {
		await tx.update(users).set({ active }).where(eq(users.id, user.id));
		if (!active) await revokeUserSessions(tx, user.id);
	});
	if (!active) await app.events.emit('user.deactivated', { userId: user.id });
	app.log.info({ actorId: actor.id, userId: user.id, active }, 'user activation changed');
}
