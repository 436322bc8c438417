import type { Actor } from '#shared/roles.ts';
import { committeeIdSchema } from '#shared/notice.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { parseInput } from '../parse-input.ts';
import { noticeVersionsOf, type NoticeVersion } from './current-notice.ts';
import { committeeInScope } from './revise-notice.ts';

/** How many versions the admin page lists, newest first. */
const SHOWN_VERSIONS = 50;

/** The versions of the notice of a committee of the admin's subtree, newest (the one in force) first. */
export async function getNoticeHistory(db: Db, actor: Actor, input: unknown): Promise<NoticeVersion[]> {
	authorize(actor, 'org:manage');
	const { committeeId } = parseInput(committeeIdSchema, input);
	const committee = await committeeInScope(db, actor, committeeId);
	return noticeVersionsOf(db, committee.id, SHOWN_VERSIONS);
}
