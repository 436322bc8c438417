import { createHash } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Db } from '../db/client.ts';
import { cases, committees, noticeVersions, users } from '../db/schema.ts';
import { DEFAULT_NOTICE } from './default-notice.ts';

/** A version of a committee's notice, as people read and acknowledge it. */
export type NoticeVersion = {
	committeeId: string;
	committeeName: string;
	version: number;
	bodyZh: string;
	bodyEn: string;
	sha256: string;
	createdAt: Date;
	/** Who wrote it; null for the built-in text. */
	createdByName: string | null;
};

/**
 * The hash a version is known by: of its Chinese text of record and its English rendering
 * together, so that a change to either is a new text to acknowledge.
 */
export const noticeSha256 = (bodyZh: string, bodyEn: string) =>
	createHash('sha256')
		.update(JSON.stringify({ zh: bodyZh, en: bodyEn }))
		.digest('hex');

const builtIn = (committee: { id: string; name: string }): NoticeVersion => ({
	committeeId: committee.id,
	committeeName: committee.name,
	version: 1,
	bodyZh: DEFAULT_NOTICE.bodyZh,
	bodyEn: DEFAULT_NOTICE.bodyEn,
	sha256: noticeSha256(DEFAULT_NOTICE.bodyZh, DEFAULT_NOTICE.bodyEn),
	createdAt: DEFAULT_NOTICE.date,
	createdByName: null
});

/** The committee's versions, newest first, down to the built-in text it started from. NOT_FOUND for no committee. */
export async function noticeVersionsOf(db: Db, committeeId: string, limit = 1): Promise<NoticeVersion[]> {
	const [committee] = await db
		.select({ id: committees.id, name: committees.name })
		.from(committees)
		.where(eq(committees.id, committeeId));
	if (!committee) throw new AppError('NOT_FOUND');
	const rows = await db
		.select({
			version: noticeVersions.version,
			bodyZh: noticeVersions.bodyZh,
			bodyEn: noticeVersions.bodyEn,
			sha256: noticeVersions.sha256,
			createdAt: noticeVersions.createdAt,
			createdByName: users.displayName
		})
		.from(noticeVersions)
		.innerJoin(users, eq(users.id, noticeVersions.createdById))
		.where(eq(noticeVersions.committeeId, committee.id))
		.orderBy(desc(noticeVersions.version))
		.limit(limit);
	const versions = rows.map((row) => ({ ...row, committeeId: committee.id, committeeName: committee.name }));
	return versions.length < limit ? [...versions, builtIn(committee)] : versions;
}

/** The version of the committee's notice in force now. */
export async function currentNotice(db: Db, committeeId: string): Promise<NoticeVersion> {
	const [current] = await noticeVersionsOf(db, committeeId);
	return current;
}

/** The notice in force for a case: its committee's. */
export async function noticeForCase(db: Db, caseId: string): Promise<NoticeVersion> {
	const [row] = await db.select({ committeeId: cases.committeeId }).from(cases).where(eq(cases.id, caseId));
	if (!row) throw new AppError('NOT_FOUND');
	return currentNotice(db, row.committeeId);
}
