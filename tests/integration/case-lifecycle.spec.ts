import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { App } from '#server/app.ts';
import { verifyCaseChain } from '#server/audit/verify-case-chain.ts';
import { applyOnline } from '#server/cases/apply-online.ts';
import { assignMediators } from '#server/cases/assign-mediators.ts';
import { reassignCase } from '#server/cases/reassign-case.ts';
import { transitionCase } from '#server/cases/transition-case.ts';
import { caseEvents, caseMediators, cases } from '#server/db/schema.ts';
import { setCommitteeDeadline } from '#server/orgs/set-committee-deadline.ts';
import { CASE_STATUSES, CASE_TRANSITION_NAMES, canTransition, type CaseStatus } from '#shared/cases.ts';
import { intakeForm, setUpNetwork } from '../support/case-network.ts';
import { CLIENT, expectAppError, test as base } from '../support/integration-test.ts';
import { sealFailedRecord } from '../support/failed-record.ts';

const test = base.extend('network', async ({ app }) => setUpNetwork(app));

async function caseOf(app: App, caseId: string) {
	const [row] = await app.db.select().from(cases).where(eq(cases.id, caseId));
	return row;
}

async function mediatorsOf(app: App, caseId: string) {
	const rows = await app.db
		.select({ id: caseMediators.userId })
		.from(caseMediators)
		.where(eq(caseMediators.caseId, caseId));
	return rows.map((r) => r.id).sort();
}

const DAY = 86_400_000;

describe('case lifecycle', () => {
	test('runs submitted → accepted → scheduled → in mediation → failed → closed, each step an audit event', async ({
		app,
		network
	}) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const mediator = network.eastMediator;
		const now = new Date('2026-11-28T08:00:00Z');

		await transitionCase(app, mediator, { caseId, transition: 'accept', consent: 'on' }, CLIENT.ip, now);
		const accepted = await caseOf(app, caseId);
		expect(accepted).toMatchObject({ status: 'accepted', acceptedAt: now });
		expect(accepted.deadline!.getTime() - now.getTime()).toBe(30 * DAY);
		expect(await mediatorsOf(app, caseId)).toEqual([mediator.id]);

		await transitionCase(
			app,
			mediator,
			{ caseId, transition: 'schedule', scheduledFor: '2026-12-01T09:30' },
			CLIENT.ip
		);
		await transitionCase(app, mediator, { caseId, transition: 'start' }, CLIENT.ip);
		await sealFailedRecord(app, mediator, caseId);
		await transitionCase(
			app,
			mediator,
			{ caseId, transition: 'fail', reason: '双方分歧过大', referralTarget: 'court' },
			CLIENT.ip
		);
		expect(await caseOf(app, caseId)).toMatchObject({ status: 'failed', referralTarget: 'court' });
		await transitionCase(app, mediator, { caseId, transition: 'close' }, CLIENT.ip);

		const closed = await caseOf(app, caseId);
		expect(closed.status).toBe('closed');
		expect(closed.closedAt).toBeInstanceOf(Date);
		const events = await app.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.seq);
		expect(events.map((e) => e.action)).toEqual([
			'case.submitted',
			'case.accept',
			'case.schedule',
			'case.start',
			// The mediation that failed, and its record that says so.
			'session.scheduled',
			'record.drafted',
			'record.outcome_set',
			'record.version_saved',
			'record.frozen',
			'document.sealed',
			'case.fail',
			'case.close',
			// Closing binds the case file.
			'document.sealed'
		]);
		expect(events[10]).toMatchObject({
			actorId: mediator.id,
			ip: CLIENT.ip,
			data: { from: 'in_mediation', to: 'failed', reason: '双方分歧过大', referralTarget: 'court' }
		});
		expect(events[12].data).toMatchObject({ kind: 'case_file' });
		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: true, events: 13 });
	});

	test('the deadline follows the committee’s own setting, which its admins set', async ({ app, network }) => {
		await expectAppError(
			setCommitteeDeadline(app, network.admin, { committeeId: network.committees.east.id, deadlineDays: '0' }),
			'VALIDATION',
			{
				deadlineDays: ['invalid']
			}
		);
		await expectAppError(
			setCommitteeDeadline(app, network.eastAdmin, { committeeId: network.committees.west.id, deadlineDays: '15' }),
			'NOT_FOUND'
		);
		await setCommitteeDeadline(app, network.eastAdmin, { committeeId: network.committees.east.id, deadlineDays: '15' });
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const now = new Date('2026-11-28T08:00:00Z');

		await transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null, now);

		expect((await caseOf(app, caseId)).deadline!.getTime() - now.getTime()).toBe(15 * DAY);
	});

	test('every transition the state machine does not allow is refused with 409 and changes nothing', async ({
		app,
		network
	}) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		const inputs = {
			accept: { consent: 'on' },
			reject: { reason: '不属于受理范围' },
			schedule: { scheduledFor: '2026-12-01T09:30' },
			start: {},
			resolve: { summary: '双方达成口头协议' },
			fail: { reason: '分歧过大', referralTarget: 'court' },
			withdraw: { reason: '申请人撤回' },
			escalate: { reason: '涉及多个村' },
			close: {}
		};
		// Walk one path and, at every status on it, try every transition the status does not allow.
		const path = ['accept', 'schedule', 'start', 'resolve', 'close'] as const;
		const tried = new Set<CaseStatus>();
		for (const next of [...path, null]) {
			const before = await caseOf(app, caseId);
			tried.add(before.status);
			const eventsBefore = await app.db.$count(caseEvents, eq(caseEvents.caseId, caseId));
			// An oral agreement resolves a case only as it is registered (oral-agreements.spec.ts): never asked for on its own.
			for (const name of CASE_TRANSITION_NAMES.filter((transition) => transition !== 'resolve_orally')) {
				if (canTransition(before.status, name)) continue;
				const error = await expectAppError(
					transitionCase(app, network.eastMediator, { caseId, transition: name, ...inputs[name] }, null),
					'INVALID_TRANSITION'
				);
				expect(error.status).toBe(409);
			}
			expect(await caseOf(app, caseId)).toEqual(before);
			expect(await app.db.$count(caseEvents, eq(caseEvents.caseId, caseId))).toBe(eventsBefore);
			if (next) await transitionCase(app, network.eastMediator, { caseId, transition: next, ...inputs[next] }, null);
		}
		expect([...tried]).toEqual(['submitted', 'accepted', 'scheduled', 'in_mediation', 'resolved', 'closed']);
		expect(CASE_STATUSES).toContain('closed');
	});

	test('a reason is required where the log must say why', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);

		await expectAppError(
			transitionCase(app, network.eastMediator, { caseId, transition: 'reject' }, null),
			'VALIDATION',
			{
				reason: ['required']
			}
		);
		await expectAppError(transitionCase(app, network.eastMediator, { caseId, transition: 'fly' }, null), 'VALIDATION', {
			transition: ['invalid']
		});
		await transitionCase(
			app,
			network.eastMediator,
			{ caseId, transition: 'reject', reason: '不属于人民调解受理范围' },
			null
		);
		expect((await caseOf(app, caseId)).status).toBe('rejected');
	});

	test('two mediators accepting at once: one succeeds, the other is refused', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);

		const outcomes = await Promise.allSettled([
			transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null),
			transitionCase(app, network.eastMediator2, { caseId, transition: 'accept', consent: 'on' }, null)
		]);

		expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
		expect(await app.db.$count(caseEvents, eq(caseEvents.caseId, caseId))).toBe(2);
		expect(await verifyCaseChain(app.db, caseId)).toEqual({ intact: true, events: 2 });
	});
});

describe('routing', () => {
	test('a mediator escalates to the parent tier with a reason; the town accepts it', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);
		await transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null);

		await transitionCase(
			app,
			network.eastMediator,
			{ caseId, transition: 'escalate', reason: '涉及两个村的土地边界' },
			null
		);

		expect(await caseOf(app, caseId)).toMatchObject({
			status: 'escalated',
			committeeId: network.committees.town.id,
			deadline: null
		});
		expect(await mediatorsOf(app, caseId)).toEqual([]);
		// The village committee no longer handles it, the town's does.
		await expectAppError(
			transitionCase(app, network.eastMediator, { caseId, transition: 'accept', consent: 'on' }, null),
			'NOT_FOUND'
		);
		await transitionCase(app, network.townMediator, { caseId, transition: 'accept', consent: 'on' }, null);
		expect(await mediatorsOf(app, caseId)).toEqual([network.townMediator.id]);
		// The town is the top tier here.
		await expectAppError(
			transitionCase(app, network.townMediator, { caseId, transition: 'escalate', reason: '再上报' }, null),
			'CONFLICT',
			{ transition: ['no_parent'] }
		);
	});

	test('a town admin reassigns an open case to a third-party mediation body', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);

		await reassignCase(
			app,
			network.admin,
			{ caseId, committeeId: network.committees.body.id, reason: '物业纠纷，交专业调解组织' },
			null
		);

		expect(await caseOf(app, caseId)).toMatchObject({ committeeId: network.committees.body.id });
		await transitionCase(app, network.bodyMediator, { caseId, transition: 'accept', consent: 'on' }, null);
		// A village admin cannot route what is outside their subtree, nor to a committee outside it.
		await expectAppError(
			reassignCase(app, network.eastAdmin, { caseId, committeeId: network.committees.east.id, reason: '收回' }, null),
			'NOT_FOUND'
		);
		await expectAppError(
			reassignCase(
				app,
				network.eastMediator,
				{ caseId, committeeId: network.committees.east.id, reason: '收回' },
				null
			),
			'FORBIDDEN'
		);
	});

	test('mediators are assigned from the handling committee only', async ({ app, network }) => {
		const { caseId } = await applyOnline(app, intakeForm(network.nodes.east.id), [], null);

		await assignMediators(
			app,
			network.eastMediator,
			{ caseId, mediatorIds: [network.eastMediator.id, network.eastMediator2.id] },
			null
		);
		expect(await mediatorsOf(app, caseId)).toEqual([network.eastMediator.id, network.eastMediator2.id].sort());

		await expectAppError(
			assignMediators(app, network.admin, { caseId, mediatorIds: [network.westMediator.id] }, null),
			'VALIDATION',
			{ mediatorIds: ['invalid'] }
		);
		expect(await mediatorsOf(app, caseId)).toHaveLength(2);
	});
});
