import type { Actor } from '#shared/roles.ts';
import { userCreateSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import { hashPassword } from '../auth/password.ts';
import type { Db } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { uniqueField } from '../db/unique-field.ts';
import type { Logger } from '../log.ts';
import { nodeInScope } from '../orgs/subtree.ts';
import { parseInput } from '../parse-input.ts';
import { assignCommittee } from './assign-committee.ts';
import { temporaryPassword } from './temporary-password.ts';

/**
 * Creates an account with a temporary password, shown once to the admin, that
 * the new user must change at first log-in.
 */
export async function createUser(
	app: { db: Db; log: Logger },
	actor: Actor,
	input: unknown
): Promise<{ userId: string; username: string; password: string }> {
	authorize(actor, 'user:manage');
	const data = parseInput(userCreateSchema, input);
	await nodeInScope(app.db, actor, data.orgNodeId);
	const password = temporaryPassword();
	const passwordHash = await hashPassword(password);
	const userId = await app.db.transaction(async (tx) => {
		const [user] = await uniqueField('username', () =>
			tx
				.insert(users)
				.values({
					username: data.username,
					displayName: data.displayName,
					phone: data.phone,
					role: data.role,
					orgNodeId: data.orgNodeId,
					passwordHash,
					mustChangePassword: true
				})
				.returning({ id: users.id })
		);
		await assignCommittee(tx, actor, user.id, data.committeeId, data.position);
		return user.id;
	});
	app.log.info({ actorId: actor.id, userId, role: data.role }, 'user created');
	return { userId, username: data.username, password };
}
