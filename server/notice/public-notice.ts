import { asc } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { committeeIdSchema } from '#shared/notice.ts';
import type { Db } from '../db/client.ts';
import { committees } from '../db/schema.ts';
import { currentNotice, type NoticeVersion } from './current-notice.ts';

/**
 * The notice anyone may read without logging in: of the committee asked for (an unknown one is
 * NOT_FOUND), else of the first committee by name; with every committee to choose from.
 */
export async function publicNotice(
	db: Db,
	committeeId: string | null
): Promise<{ committees: { id: string; name: string }[]; notice: NoticeVersion | null }> {
	const all = await db
		.select({ id: committees.id, name: committees.name })
		.from(committees)
		.orderBy(asc(committees.name));
	if (committeeId !== null && !committeeIdSchema.safeParse({ committeeId }).success) throw new AppError('NOT_FOUND');
	const chosen = committeeId ?? all[0]?.id;
	return { committees: all, notice: chosen ? await currentNotice(db, chosen) : null };
}
