import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { cases, mediationSessions, sessionAttendance } from '#server/db/schema.ts';
import { listCaseSessions } from '#server/sessions/list-case-sessions.ts';
import { listTrackedSessions } from '#server/sessions/list-tracked-sessions.ts';
import { markOfficeAttendance } from '#server/sessions/mark-office-attendance.ts';
import { endOfficeSession, startOfficeSession } from '#server/sessions/run-office-session.ts';
import { MAX_PLACE_LENGTH } from '#shared/sessions.ts';
import { CLIENT, expectAppError } from '../support/integration-test.ts';
import { actionsOf, scheduleMediation, test } from '../support/mediation-case.ts';

const PLACE = '东村人民调解委员会调解室（村委会二楼）';

describe('in-person sessions (线下调解)', () => {
	test('an in-person or hybrid session needs its place; mode and place are stored, listed and told to the party', async ({
		app,
		network,
		kase
	}) => {
		for (const mode of ['in_person', 'hybrid']) {
			await expectAppError(scheduleMediation(app, network, kase, { mode }), 'VALIDATION', { place: ['required'] });
		}
		await expectAppError(
			scheduleMediation(app, network, kase, { mode: 'in_person', place: '调'.repeat(MAX_PLACE_LENGTH + 1) }),
			'VALIDATION',
			{ place: ['too_long'] }
		);
		await expectAppError(scheduleMediation(app, network, kase, { mode: 'on_the_moon', place: PLACE }), 'VALIDATION', {
			mode: ['invalid']
		});
		expect(await app.db.select().from(mediationSessions)).toHaveLength(0);

		// In the office, the parties are still invited: the PIN is what they sign with there.
		const scheduled = await scheduleMediation(app, network, kase, { mode: 'in_person', place: PLACE });
		expect(scheduled.invitations.map((i) => i.displayName).sort()).toEqual(
			['李秀英', '村民代表 赵六', '王建国'].sort()
		);
		// An online session keeps no place, whatever the form sent.
		const online = await scheduleMediation(app, network, kase, { place: '不相干的地方' });
		const rows = await app.db.select().from(mediationSessions);
		expect(rows.map((r) => [r.id, r.mode, r.place]).sort()).toEqual(
			[
				[scheduled.sessionId, 'in_person', PLACE],
				[online.sessionId, 'online', null]
			].sort()
		);
		const [event] = (await actionsOf(app, kase.caseId)).filter((e) => e.action === 'session.scheduled');
		expect(event.data).toMatchObject({ mode: 'in_person', place: PLACE });

		const listed = await listCaseSessions(app.db, network.eastMediator, kase.caseId);
		const office = listed.sessions.find((s) => s.id === scheduled.sessionId)!;
		expect(office).toMatchObject({ mode: 'in_person', place: PLACE });
		expect(office.can).toMatchObject({ markAttendance: true, start: true, end: false });
		expect(listed.sessions.find((s) => s.id === online.sessionId)!.can).toMatchObject({
			markAttendance: false,
			start: false
		});
		const tracked = await listTrackedSessions(app.db, kase.trackingToken);
		expect(tracked.find((s) => s.id === scheduled.sessionId)).toMatchObject({ mode: 'in_person', place: PLACE });
	});

	test('the host marks who came and takes a mistake back; nobody else may, nor in an online session', async ({
		app,
		network,
		kase
	}) => {
		const scheduled = await scheduleMediation(app, network, kase, { mode: 'hybrid', place: PLACE });
		const respondent = scheduled.invitationOf('王建国').participantId;
		const mark = (actor = network.eastMediator, present = 'true', participantId = respondent) =>
			markOfficeAttendance(app, actor, { caseId: kase.caseId, participantId, present }, CLIENT.ip);

		// The case's second mediator does not take part in this session; the party has no say.
		await expectAppError(mark(network.eastMediator2), 'FORBIDDEN');
		await expectAppError(mark(network.partyUser), 'FORBIDDEN');
		await expectAppError(mark(network.eastMediator, 'maybe'), 'VALIDATION', { present: ['invalid'] });

		await mark();
		await mark(); // Twice is once.
		const marked = await app.db.select().from(sessionAttendance);
		expect(marked).toEqual([
			expect.objectContaining({
				sessionId: scheduled.sessionId,
				participantId: respondent,
				presence: 'in_person',
				markedById: network.eastMediator.id,
				leftAt: null
			})
		]);
		const listed = await listCaseSessions(app.db, network.eastMediator, kase.caseId);
		const people = listed.sessions[0].participants;
		expect(people.find((p) => p.id === respondent)!.inOfficeSince).toEqual(marked[0].joinedAt);
		expect(people.find((p) => p.displayName === '李秀英')!.inOfficeSince).toBeNull();

		await mark(network.eastMediator, 'false');
		expect(await app.db.select().from(sessionAttendance)).toHaveLength(0);
		const actions = (await actionsOf(app, kase.caseId)).map((e) => e.action);
		expect(actions.filter((a) => a.startsWith('session.attendance'))).toEqual([
			'session.attendance_marked',
			'session.attendance_unmarked'
		]);

		// An online session is held in its room: nobody is marked in the office.
		const online = await scheduleMediation(app, network, kase);
		await expectAppError(mark(network.eastMediator, 'true', online.invitationOf('王建国').participantId), 'CONFLICT');
	});

	test('the host starts a session held in the office without its room, and ends it', async ({ app, network, kase }) => {
		const scheduled = await scheduleMediation(app, network, kase, { mode: 'in_person', place: PLACE });
		const input = { caseId: kase.caseId, sessionId: scheduled.sessionId };
		await expectAppError(startOfficeSession(app, network.eastMediator2, input, null), 'FORBIDDEN');
		await startOfficeSession(app, network.eastMediator, input, CLIENT.ip);
		const statusOf = async () =>
			(await app.db.select().from(mediationSessions).where(eq(mediationSessions.id, scheduled.sessionId)))[0].status;
		expect(await statusOf()).toBe('live');
		const [kaseRow] = await app.db.select().from(cases).where(eq(cases.id, kase.caseId));
		expect(kaseRow.status).toBe('in_mediation');
		await expectAppError(startOfficeSession(app, network.eastMediator, input, null), 'CONFLICT');

		// Those who came are marked while it is live.
		await markOfficeAttendance(
			app,
			network.eastMediator,
			{ caseId: kase.caseId, participantId: scheduled.invitationOf('李秀英').participantId, present: 'true' },
			null
		);
		await endOfficeSession(app, network.eastMediator, input, CLIENT.ip);
		expect(await statusOf()).toBe('ended');
		const actions = (await actionsOf(app, kase.caseId)).map((e) => e.action);
		expect(actions).toEqual(expect.arrayContaining(['session.started', 'session.attendance_marked', 'session.ended']));

		// A hybrid session is started from its room, where the remote party waits.
		const hybrid = await scheduleMediation(app, network, kase, { mode: 'hybrid', place: PLACE });
		await expectAppError(
			startOfficeSession(app, network.eastMediator, { caseId: kase.caseId, sessionId: hybrid.sessionId }, null),
			'CONFLICT'
		);
	});
});
