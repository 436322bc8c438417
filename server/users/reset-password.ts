import { eq } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import { userIdSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import { hashPassword } from '../auth/password.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { temporaryPassword } from './temporary-password.ts';
import { userInScope } from './user-in-scope.ts';

/** Gives the user a new temporary password (returned once) and ends their sessions. */
export async function resetPassword(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown
): Promise<{ username: string; password: string }> {
	authorize(actor, 'user:manage');
	const { userId } = parseInput(userIdSchema, input);
	const user = await userInScope(app.db, actor, userId);
	const password = temporaryPassword();
	const passwordHash = await hashPassword(password);
	await app.db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash, mustChangePassword: true }).where(eq(users.id, user.id));
		await revokeUserSessions(tx, user.id);
	});
	await app.events.emit('user.password_reset', { userId: user.id });
	app.log.info({ actorId: actor.id, userId: user.id }, 'password reset');
	return { username: user.username, password };
}
