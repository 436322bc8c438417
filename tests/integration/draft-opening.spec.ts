/**
 * Opening the live agreement draft over real sockets: who may open it and as what, and the
 * mediator's first open starting it from the template.
 */
import { eq } from 'drizzle-orm';
import { toBase64 } from 'lib0/buffer';
import * as encoding from 'lib0/encoding';
import { describe, expect } from 'vitest';
import { reportDispute } from '#server/cases/report-dispute.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { agreementDrafts, caseEvents } from '#server/db/schema.ts';
import { ask } from '../../src/lib/realtime/command-client.ts';
import { intakeForm } from '../support/case-network.ts';
import { fingerprint, opened, storedUpdates, syncMessage, test } from '../support/draft-client.ts';
import { codeOf, replyOf } from '../support/socket-client.ts';

describe('opening a draft', () => {
	test("the mediator's first open starts it from the template, filled in with the case; others find it only then", async ({
		app,
		world,
		client
	}) => {
		const expert = await client(world.cookies.expert);
		const applicant = await client(world.applicant.cookie);
		expect(codeOf(await expert.open(world.caseId))).toBe('CONFLICT');
		expect(codeOf(await applicant.open(world.caseId))).toBe('CONFLICT');
		expect(await app.db.select().from(agreementDrafts)).toEqual([]);

		const mediator = await client(world.cookies.mediator);
		const first = await mediator.open(world.caseId);
		if (!first.ok) throw new Error(first.error.code);
		expect(first.data).toMatchObject({
			role: 'mediator',
			me: { name: 'east-mediator-名', color: expect.stringMatching(/^#[0-9a-f]{6}$/) },
			partiesMayEdit: false,
			frozenVersionId: null,
			versions: [],
			comments: []
		});
		// The template was written under a client id of the mediator's.
		expect(Object.values(first.data.authors)).toEqual(['east-mediator-名']);
		expect((await mediator.sync()).ok).toBe(true);
		for (const part of ['人民调解协议书', world.caseNumber, '申请人：李秀英', '被申请人：王建国', '排水沟']) {
			expect(mediator.text).toContain(part);
		}
		const draftId = mediator.draftId;
		expect(await storedUpdates(app, draftId)).toHaveLength(1);
		const events = await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, world.caseId));
		expect(events.filter((e) => e.action === 'agreement.drafted').map((e) => e.data)).toEqual([{ draftId }]);

		// Now everyone with a part in the case opens the same draft, each as what they are to it.
		const roles: [string, string][] = [
			[world.cookies.expert, 'expert'],
			[world.applicant.cookie, 'party'],
			[world.respondent.cookie, 'party'],
			[world.cookies.admin, 'reader'],
			[world.cookies.mediator2, 'mediator'],
			[world.cookies.townMediator, 'mediator']
		];
		for (const [cookie, role] of roles) {
			const other = await client(cookie);
			const reply = await other.open(world.caseId);
			expect(reply.ok && [reply.data.draftId, reply.data.role]).toEqual([draftId, role]);
			expect((await other.sync()).ok).toBe(true);
			expect(fingerprint(other.doc)).toEqual(fingerprint(mediator.doc));
		}
		const applicantAgain = await applicant.open(world.caseId);
		expect(applicantAgain.ok && applicantAgain.data.me.name).toBe('李秀英');
		// Opening again created nothing.
		expect(await app.db.select().from(agreementDrafts)).toHaveLength(1);
		expect(await storedUpdates(app, draftId)).toHaveLength(1);
	});

	test('no part in the case: other committees, grid workers, guests of another case', async ({
		app,
		world,
		client
	}) => {
		const mediator = await opened(client, world.cookies.mediator, world.caseId);
		const outsiders: [string, string][] = [
			[world.cookies.westMediator, 'NOT_FOUND'],
			[world.cookies.gridWorker, 'NOT_FOUND'],
			[world.otherGuest.cookie, 'FORBIDDEN']
		];
		for (const [cookie, code] of outsiders) {
			const outsider = await client(cookie);
			expect(codeOf(await outsider.open(world.caseId))).toBe(code);
			// Knowing the draft's id gives nothing either.
			const message = syncMessage((e) => encoding.writeVarUint(e, 0));
			expect(
				codeOf(
					await replyOf(ask(outsider.socket, 'draft:sync', { draftId: mediator.draftId, message: toBase64(message) }))
				)
			).toBe('CONFLICT');
		}

		// A grid worker sees a dispute they reported, but has no part in its agreement.
		const { network } = world;
		const { caseId } = await reportDispute(app, network.gridWorker, intakeForm(network.nodes.east.id), [], null);
		await transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null);
		expect((await mediator.open(caseId)).ok).toBe(true);
		const reporter = await client(world.cookies.gridWorker);
		expect(codeOf(await reporter.open(caseId))).toBe('FORBIDDEN');
	});

	test('two mediators opening at once start one draft', async ({ app, world, client }) => {
		const [a, b] = await Promise.all([client(world.cookies.mediator), client(world.cookies.mediator2)]);
		const [ra, rb] = await Promise.all([a.open(world.caseId), b.open(world.caseId)]);
		expect(ra.ok && rb.ok && ra.data.draftId === rb.data.draftId).toBe(true);
		expect(await app.db.select().from(agreementDrafts)).toHaveLength(1);
		expect(await storedUpdates(app, a.draftId)).toHaveLength(1);
		await Promise.all([a.sync(), b.sync()]);
		expect(fingerprint(a.doc)).toEqual(fingerprint(b.doc));
	});
});
