/**
 * Comments on the agreement draft: who may post them (readers only read), what everyone is sent
 * (the one comment posted or resolved, never all of them again), and their limits: length, a
 * number per draft, and a rate per person.
 */
import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { draftComments } from '#server/db/schema.ts';
import { DRAFT_LIMITS } from '#shared/draft-limits.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { opened, roundTrip, test } from '../support/draft-client.ts';
import { codeOf, replyOf } from '../support/socket-client.ts';

const comment = (draftId: string, body: string) => ({ draftId, kind: 'comment' as const, body });

describe('draft comments', () => {
	test("a reader's comment is refused; a party's, an expert's and a mediator's are taken", async ({
		app,
		world,
		client
	}) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		const { draftId } = mediator;
		const admin = await opened(client, world.cookies.admin, world.caseId);
		expect(admin.snapshot?.role).toBe('reader');
		expect(codeOf(await replyOf(ask(admin.socket, 'draft:comment', comment(draftId, '管理员的意见'))))).toBe(
			'FORBIDDEN'
		);

		for (const cookie of [world.applicant.cookie, world.cookies.expert, world.cookies.mediator]) {
			const writer = await opened(client, cookie, world.caseId);
			expect(codeOf(await replyOf(ask(writer.socket, 'draft:comment', comment(draftId, '可以'))))).toBe('ok');
		}
		const stored = await app.db.select().from(draftComments).where(eq(draftComments.draftId, draftId));
		expect(stored.map((row) => row.authorName).sort()).toEqual(['east-mediator-名', 'expert-名', '李秀英'].sort());
	});

	test('everyone is sent the comment posted or resolved, not all the comments again', async ({ world, client }) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		const party = await opened(client, world.applicant.cookie, world.caseId);
		const { draftId } = mediator;
		const long = '意'.repeat(DRAFT_LIMITS.commentLength);
		for (let i = 0; i < 5; i++) await ask(party.socket, 'draft:comment', { ...comment(draftId, long), quote: long });
		const posted = await ask(party.socket, 'draft:comment', comment(draftId, '工期请改为十日。'));
		await ask(mediator.socket, 'draft:resolveComment', { draftId, commentId: posted.id });
		await roundTrip(mediator.socket, party.socket);

		for (const c of [mediator, party]) {
			expect(c.comments.map((fact) => [fact.body.length, fact.resolvedAt !== null])).toEqual([
				...Array.from({ length: 5 }, () => [DRAFT_LIMITS.commentLength, false]),
				[8, false],
				[8, true]
			]);
			// Nothing else about the draft changed.
			expect(c.changed).toEqual([]);
		}
		// Someone opening the draft gets them all, once.
		const late = await opened(client, world.cookies.expert, world.caseId);
		expect(late.snapshot?.comments).toHaveLength(6);
		expect(late.snapshot?.comments.at(-1)).toMatchObject({ id: posted.id, resolvedAt: expect.any(String) });
	});

	test('a comment too long, one too many for the draft, or one too many in a minute is refused', async ({
		app,
		world,
		client
	}) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		const party = await opened(client, world.applicant.cookie, world.caseId);
		const { draftId } = mediator;
		const tooLong = 'x'.repeat(DRAFT_LIMITS.commentLength + 1);
		expect(await replyOf(ask(party.socket, 'draft:comment', comment(draftId, tooLong)))).toEqual({
			ok: false,
			error: { code: 'VALIDATION', fields: { body: ['too_long'] } }
		});
		expect(
			codeOf(await replyOf(ask(party.socket, 'draft:comment', { ...comment(draftId, '好'), quote: tooLong })))
		).toBe('VALIDATION');

		// Sent at once, only so many are taken in a minute; someone else may still comment.
		const replies = await Promise.all(
			Array.from({ length: DRAFT_LIMITS.commentsPerMinute + 5 }, (_, i) =>
				replyOf(ask(party.socket, 'draft:comment', comment(draftId, `第${i}条`)))
			)
		);
		expect(replies.filter((reply) => reply.ok)).toHaveLength(DRAFT_LIMITS.commentsPerMinute);
		expect(replies.filter((reply) => codeOf(reply) === 'RATE_LIMITED')).toHaveLength(5);
		expect(codeOf(await replyOf(ask(mediator.socket, 'draft:comment', comment(draftId, '调解员'))))).toBe('ok');

		// Posted earlier, up to the draft's limit: one more is refused, to everyone.
		const earlier = new Date(Date.now() - 3_600_000);
		const existing = DRAFT_LIMITS.commentsPerMinute + 1;
		await app.db.insert(draftComments).values(
			Array.from({ length: DRAFT_LIMITS.comments - existing }, (_, i) => ({
				draftId,
				kind: 'comment' as const,
				body: `旧${i}`,
				author: 'user:earlier',
				authorName: '某人',
				createdAt: earlier
			}))
		);
		expect(await replyOf(ask(mediator.socket, 'draft:comment', comment(draftId, '再一条')))).toEqual({
			ok: false,
			error: { code: 'DRAFT_LIMIT', fields: { comments: ['too_many'] } }
		});
		const stored = await app.db.select().from(draftComments).where(eq(draftComments.draftId, draftId));
		expect(stored).toHaveLength(DRAFT_LIMITS.comments);
	});
});
