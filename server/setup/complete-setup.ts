import { randomUUID } from 'node:crypto';
import { AppError } from '#shared/errors.ts';
import { setupSchema } from '#shared/validation.ts';
import { hashPassword } from '../auth/password.ts';
import type { Db } from '../db/client.ts';
import { committees, installation, orgNodes, users } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { sealKeyFor } from '../signing/seal-keys/seal-key-for.ts';
import { isSetupComplete } from './is-setup-complete.ts';

export type SetupResult = { adminId: string; townId: string };

/**
 * First run: creates the town (under an optional county), its mediation
 * committee with its seal certificate, and the first admin, and records the app's public address. The installation row has a fixed key, so of
 * two racing setups one fails and nothing of it remains.
 */
export async function completeSetup(app: { db: Db; log: Logger }, input: unknown): Promise<SetupResult> {
	const data = parseInput(setupSchema, input);
	if (await isSetupComplete(app.db)) throw new AppError('SETUP_COMPLETE');
	const passwordHash = await hashPassword(data.password);
	try {
		return await app.db.transaction(async (tx) => {
			let parent: { id: string; path: string } | null = null;
			if (data.countyName) {
				const countyId = randomUUID();
				parent = { id: countyId, path: `/${countyId}/` };
				await tx.insert(orgNodes).values({ id: countyId, kind: 'county', name: data.countyName, path: parent.path });
			}
			const townId = randomUUID();
			await tx.insert(orgNodes).values({
				id: townId,
				parentId: parent?.id,
				kind: 'town',
				name: data.townName,
				code: data.townCode,
				path: `${parent?.path ?? '/'}${townId}/`
			});
			await tx.insert(committees).values({ orgNodeId: townId, name: data.committeeName });
			await sealKeyFor(tx, townId);
			const [admin] = await tx
				.insert(users)
				.values({
					username: data.username,
					displayName: data.displayName,
					role: 'admin',
					orgNodeId: townId,
					passwordHash
				})
				.returning({ id: users.id });
			await tx.insert(installation).values({
				rootOrgId: parent?.id ?? townId,
				publicOrigin: data.publicOrigin,
				publicOriginSetById: admin.id,
				publicOriginSetAt: new Date()
			});
			app.log.info({ townId, adminId: admin.id }, 'setup complete');
			return { adminId: admin.id, townId };
		});
	} catch (error) {
		if (await isSetupComplete(app.db)) throw new AppError('SETUP_COMPLETE', { cause: error });
		throw error;
	}
}
