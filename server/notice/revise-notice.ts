import { and, eq, like, max } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import { reviseNoticeSchema } from '#shared/notice.ts';
import type { Actor } from '#shared/roles.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { committees, noticeVersions, orgNodes } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import { scopeRoot } from '../orgs/subtree.ts';
import { parseInput } from '../parse-input.ts';
import { noticeSha256 } from './current-notice.ts';

/** A committee of the admin's subtree; one elsewhere is reported as missing. */
export async function committeeInScope(db: Db, actor: Actor, committeeId: string): Promise<{ id: string }> {
	const root = await scopeRoot(db, actor);
	const [committee] = await db
		.select({ id: committees.id })
		.from(committees)
		.innerJoin(orgNodes, eq(orgNodes.id, committees.orgNodeId))
		.where(and(eq(committees.id, committeeId), like(orgNodes.path, `${root.path}%`)));
	if (!committee) throw new AppError('NOT_FOUND');
	return committee;
}

/**
 * An admin gives a committee of their subtree a new version of its notice; the versions before
 * it are kept, and the parties' acknowledgements of them no longer count. The built-in text is
 * version 1, so the first one written is version 2.
 */
export async function reviseNotice(app: { db: Db; log: Logger }, actor: Actor, input: unknown) {
	authorize(actor, 'org:manage');
	const { committeeId, bodyZh, bodyEn } = parseInput(reviseNoticeSchema, input);
	const committee = await committeeInScope(app.db, actor, committeeId);
	const sha256 = noticeSha256(bodyZh, bodyEn);
	const saved = await app.db.transaction(async (tx) => {
		// Two admins saving at once queue up on the committee's row: each save is the next version.
		await tx.select({ id: committees.id }).from(committees).where(eq(committees.id, committee.id)).for('update');
		const [latest] = await tx
			.select({ version: max(noticeVersions.version) })
			.from(noticeVersions)
			.where(eq(noticeVersions.committeeId, committee.id));
		const [row] = await tx
			.insert(noticeVersions)
			.values({
				committeeId: committee.id,
				version: (latest?.version ?? 1) + 1,
				bodyZh,
				bodyEn,
				sha256,
				createdById: actor.id
			})
			.returning({ version: noticeVersions.version, sha256: noticeVersions.sha256 });
		return row;
	});
	app.log.info({ actorId: actor.id, committeeId: committee.id, version: saved.version }, 'notice revised');
	return saved;
}
