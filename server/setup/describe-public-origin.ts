import { eq } from 'drizzle-orm';
import type { Actor } from '#shared/roles.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { installation, users } from '../db/schema.ts';
import { installationAdmin } from './installation-admin.ts';

export type PublicOriginSetting = {
	/** What setup or an admin stored. */
	stored: string | null;
	setBy: string | null;
	setAt: Date | null;
	/** `ORIGIN`, which wins over the stored address while it is set. */
	override: string | null;
};

/** The public address as the settings page shows it: stored, by whom, and whether `ORIGIN` overrides it. */
export async function describePublicOrigin(
	app: { db: Db; config: Config },
	actor: Actor
): Promise<PublicOriginSetting> {
	await installationAdmin(app.db, actor);
	const [row] = await app.db
		.select({ stored: installation.publicOrigin, setBy: users.displayName, setAt: installation.publicOriginSetAt })
		.from(installation)
		.leftJoin(users, eq(users.id, installation.publicOriginSetById));
	return {
		stored: row?.stored ?? null,
		setBy: row?.setBy ?? null,
		setAt: row?.setAt ?? null,
		override: app.config.origin ? new URL(app.config.origin).origin : null
	};
}
