import { and, eq, ne } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { passwordChangeSchema } from '#shared/validation.ts';
import type { Db } from '../db/client.ts';
import { authSessions, users } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './password.ts';
import type { Client } from './sessions.ts';

/**
 * Changes the actor's own password and ends their other sessions. The current password is
 * checked under the log-in throttle, counted with the log-ins of the same username and address:
 * holding a session does not buy more guesses.
 */
export async function changePassword(
	app: { db: Db; log: Logger; loginThrottle: LoginThrottle },
	actor: Actor,
	currentSessionId: string,
	input: unknown,
	client: Client
): Promise<void> {
	const { currentPassword, password } = parseInput(passwordChangeSchema, input);
	const ip = client.ip ?? 'unknown';
	const retryAfterSeconds = app.loginThrottle.reserve(ip, actor.username);
	if (retryAfterSeconds > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds });
	const [user] = await app.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
	if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
		throw new AppError('VALIDATION', { fields: { currentPassword: ['invalid'] } });
	}
	app.loginThrottle.reservedSucceeded(ip, actor.username);
	const passwordHash = await hashPassword(password);
	await app.db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, actor.id));
		await tx.delete(authSessions).where(and(eq(authSessions.userId, actor.id), ne(authSessions.id, currentSessionId)));
	});
	app.log.info({ userId: actor.id }, 'password changed');
}
