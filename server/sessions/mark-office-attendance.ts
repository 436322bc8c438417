import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { heldInOffice, JOINABLE_STATUSES } from '#shared/sessions.ts';
import { officeAttendanceSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { sessionAttendance } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import { findCaseParticipant, findSessionHost } from './session-scope.ts';

/**
 * The host of an in-person or hybrid session (a mediator taking part in it) marks someone as
 * come to the office, or takes back a mark made by mistake (the row goes: they were not there,
 * and the audit log keeps both). Those marked count as present at the session, for its record
 * and for signing on the mediator's device. While the session is scheduled or live; marking
 * someone already marked changes nothing.
 */
export async function markOfficeAttendance(
	app: { db: Db },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<void> {
	authorize(actor, 'sessions:schedule');
	const { caseId, participantId, present } = parseInput(officeAttendanceSchema, input);
	await app.db.transaction(async (tx) => {
		const { session, participant } = await findCaseParticipant(tx, actor, caseId, participantId, true);
		await findSessionHost(tx, session.id, actor);
		if (!heldInOffice(session.mode) || !JOINABLE_STATUSES.includes(session.status)) throw new AppError('CONFLICT');
		const inOffice = and(
			eq(sessionAttendance.participantId, participant.id),
			eq(sessionAttendance.presence, 'in_person')
		);
		const marked = await tx.select({ id: sessionAttendance.id }).from(sessionAttendance).where(inOffice);
		if (present === marked.length > 0) return;
		if (present)
			await tx.insert(sessionAttendance).values({
				sessionId: session.id,
				participantId: participant.id,
				presence: 'in_person',
				joinedAt: now,
				markedById: actor.id
			});
		else await tx.delete(sessionAttendance).where(inOffice);
		await recordCaseEvent(tx, {
			caseId,
			actorId: actor.id,
			action: present ? 'session.attendance_marked' : 'session.attendance_unmarked',
			data: { sessionId: session.id, participantId: participant.id, displayName: participant.displayName },
			ip
		});
	});
}
