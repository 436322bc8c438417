import type { Db } from '../db/client.ts';
import { installation } from '../db/schema.ts';

export async function isSetupComplete(db: Db): Promise<boolean> {
	const rows = await db.select({ id: installation.id }).from(installation).limit(1);
	return rows.length > 0;
}
