import { AppError } from '#shared/errors.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { installation } from '../db/schema.ts';

/**
 * The address people reach the app by, for the links in sealed agreements, invitations and
 * tracking pages: `ORIGIN` when set, else what setup or an admin stored. Never a request's own
 * Origin or Host: whoever sends the request chooses those.
 */
export async function readPublicOrigin(app: { db: Db; config: Config }): Promise<string> {
	if (app.config.origin) return new URL(app.config.origin).origin;
	const [row] = await app.db.select({ publicOrigin: installation.publicOrigin }).from(installation);
	if (!row?.publicOrigin) throw new AppError('PUBLIC_ORIGIN_UNSET');
	return row.publicOrigin;
}
