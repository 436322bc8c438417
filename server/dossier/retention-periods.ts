import { RETENTION_DEFAULTS, retentionPeriodsSchema } from '#shared/dossier.ts';
import type { DisputeType } from '#shared/cases.ts';
import type { Actor } from '#shared/roles.ts';
import type { Db } from '../db/client.ts';
import { retentionPeriods } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { parseInput } from '../parse-input.ts';
import { installationAdmin } from '../setup/installation-admin.ts';

/** The retention table (保管期限 by dispute type) as it stands: the stored periods over the defaults. */
export async function listRetentionPeriods(db: Db): Promise<Record<DisputeType, string>> {
	const stored = await db.select().from(retentionPeriods);
	return { ...RETENTION_DEFAULTS, ...Object.fromEntries(stored.map((row) => [row.disputeType, row.period])) };
}

/** An installation's admin sets the retention period of every dispute type; case files bound from then on print it. */
export async function setRetentionPeriods(app: { db: Db; log: Logger }, actor: Actor, input: unknown) {
	await installationAdmin(app.db, actor);
	const periods = parseInput(retentionPeriodsSchema, input);
	const now = new Date();
	await app.db.transaction(async (tx) => {
		for (const [disputeType, period] of Object.entries(periods) as [DisputeType, string][]) {
			await tx
				.insert(retentionPeriods)
				.values({ disputeType, period, updatedAt: now })
				.onConflictDoUpdate({ target: retentionPeriods.disputeType, set: { period, updatedAt: now } });
		}
	});
	app.log.info({ actorId: actor.id, periods }, 'retention periods changed');
	return periods;
}
