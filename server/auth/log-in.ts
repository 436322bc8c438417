import { eq, sql } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { loginSchema } from '#shared/validation.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { burnPasswordCheck, verifyPassword } from './password.ts';
import { createSession, type Client } from './sessions.ts';

/**
 * Checks a username and password. Every failure, whether the account is
 * unknown, deactivated or the password wrong, is the same INVALID_CREDENTIALS.
 */
export async function logIn(
	app: { db: Db; config: Config; log: Logger; loginThrottle: LoginThrottle },
	input: unknown,
	client: Client
): Promise<{ actor: Actor; token: string; expiresAt: Date }> {
	const { username, password } = parseInput(loginSchema, input);
	const ip = client.ip ?? 'unknown';
	const retryAfterSeconds = app.loginThrottle.reserve(ip, username);
	if (retryAfterSeconds > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds });

	const [user] = await app.db
		.select()
		.from(users)
		.where(eq(sql`lower(${users.username})`, username.toLowerCase()));
	const valid = user?.active
		? await verifyPassword(user.passwordHash, password)
		: (await burnPasswordCheck(password), false);
	if (!user || !valid) {
		app.log.info({ username, ip }, 'log-in refused');
		throw new AppError('INVALID_CREDENTIALS');
	}
	app.loginThrottle.reservedSucceeded(ip, username);
	const session = await createSession(app.db, user.id, client, app.config.sessionDays);
	app.log.info({ userId: user.id, ip }, 'logged in');
	return {
		actor: {
			id: user.id,
			username: user.username,
			displayName: user.displayName,
			role: user.role,
			orgNodeId: user.orgNodeId,
			mustChangePassword: user.mustChangePassword
		},
		...session
	};
}
