import { and, eq, ne } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { passwordChangeSchema } from '#shared/validation.ts';
import type { AppCore } from '../app.ts';
import { authSessions, users } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { hashPassword, verifyPassword } from './password.ts';

/** Changes the actor's own password and ends their other sessions. */
export async function changePassword(
	app: AppCore,
	actor: Actor,
	currentSessionId: string,
	input: unknown
): Promise<void> {
	const { currentPassword, password } = parseInput(passwordChangeSchema, input);
	const [user] = await app.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
	if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
		throw new AppError('VALIDATION', { fields: { currentPassword: ['invalid'] } });
	}
	const passwordHash = await hashPassword(password);
	await app.db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, actor.id));
		await tx.delete(authSessions).where(and(eq(authSessions.userId, actor.id), ne(authSessions.id, currentSessionId)));
	});
	app.log.info({ userId: actor.id }, 'password changed');
}
