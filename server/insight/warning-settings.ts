import { desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import { DEFAULT_WARNING_SETTINGS, warningSettingsSchema, type WarningSettings } from '#shared/warnings.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { orgNodes, warningSettings } from '../db/schema.ts';
import { scopeRoot } from '../orgs/subtree.ts';
import { parseInput } from '../parse-input.ts';

/** The settings that apply at `path`: those of the nearest node above it (or at it) that has any, else the defaults. */
export async function settingsAt(db: Db, path: string): Promise<WarningSettings> {
	const [row] = await db
		.select({ settings: warningSettings.settings })
		.from(warningSettings)
		.innerJoin(orgNodes, eq(orgNodes.id, warningSettings.orgNodeId))
		.where(sql`${path} like ${orgNodes.path} || '%'`)
		.orderBy(desc(sql`length(${orgNodes.path})`))
		.limit(1);
	// Stored settings were valid when saved; should a later version of the rules disagree, the defaults stand in.
	const parsed = row ? warningSettingsSchema.safeParse(row.settings) : null;
	return parsed?.success ? parsed.data : DEFAULT_WARNING_SETTINGS;
}

/** The thresholds the admin's subtree works with, for the settings page. */
export async function getWarningSettings(db: Db, actor: Actor): Promise<WarningSettings> {
	authorize(actor, 'warnings:configure');
	return settingsAt(db, (await scopeRoot(db, actor)).path);
}

/** An admin sets the thresholds and risk words of their subtree (nodes below may set their own). */
export async function updateWarningSettings(db: Db, actor: Actor, input: unknown): Promise<WarningSettings> {
	authorize(actor, 'warnings:configure');
	const settings = parseInput(warningSettingsSchema, input);
	const root = await scopeRoot(db, actor);
	const now = new Date();
	await db
		.insert(warningSettings)
		.values({ orgNodeId: root.id, settings, updatedById: actor.id, updatedAt: now })
		.onConflictDoUpdate({
			target: warningSettings.orgNodeId,
			set: { settings, updatedById: actor.id, updatedAt: now }
		});
	return settings;
}
