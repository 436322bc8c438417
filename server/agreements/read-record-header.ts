import { asc, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { RecordAttendee, RecordHeader } from '#shared/mediation-record.ts';
import type { Db } from '../db/client.ts';
import { caseParties, cases, mediationSessions, sessionAttendance, sessionParticipants, users } from '../db/schema.ts';

/** How much of the case's facts the header shows: the matter in short. */
const FACTS_IN_SHORT = 300;

/**
 * A session's record header as the session stands now: its time (scheduled, and the first arrival
 * and last departure), its place, the matter, its mediators and recorder, and everyone who was
 * there with each stay, online or in person, in the order they first came.
 */
export async function readRecordHeader(db: Db, sessionId: string): Promise<RecordHeader> {
	const [session] = await db
		.select({
			scheduledFor: mediationSessions.scheduledFor,
			mode: mediationSessions.mode,
			place: mediationSessions.place,
			recorderId: mediationSessions.recorderId,
			caseNumber: cases.number,
			disputeType: cases.disputeType,
			facts: cases.facts
		})
		.from(mediationSessions)
		.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
		.where(eq(mediationSessions.id, sessionId));
	if (!session) throw new AppError('NOT_FOUND');
	const [participants, stays, recorder] = await Promise.all([
		db
			.select({
				userId: sessionParticipants.userId,
				role: sessionParticipants.role,
				name: sessionParticipants.displayName
			})
			.from(sessionParticipants)
			.where(eq(sessionParticipants.sessionId, sessionId))
			.orderBy(asc(sessionParticipants.createdAt)),
		db
			.select({
				participantId: sessionAttendance.participantId,
				presence: sessionAttendance.presence,
				joinedAt: sessionAttendance.joinedAt,
				leftAt: sessionAttendance.leftAt,
				name: sessionParticipants.displayName,
				role: sessionParticipants.role,
				userId: sessionParticipants.userId,
				side: caseParties.side
			})
			.from(sessionAttendance)
			.innerJoin(sessionParticipants, eq(sessionParticipants.id, sessionAttendance.participantId))
			.leftJoin(caseParties, eq(caseParties.id, sessionParticipants.casePartyId))
			.where(eq(sessionAttendance.sessionId, sessionId))
			.orderBy(asc(sessionAttendance.joinedAt)),
		session.recorderId
			? db.select({ name: users.displayName }).from(users).where(eq(users.id, session.recorderId))
			: Promise.resolve([])
	]);
	const isRecorder = (userId: string | null) => userId !== null && userId === session.recorderId;
	const attendees = new Map<string, RecordAttendee>();
	for (const stay of stays) {
		const attendee = attendees.get(stay.participantId) ?? {
			name: stay.name,
			role: isRecorder(stay.userId) ? 'recorder' : stay.role,
			side: stay.side,
			stays: []
		};
		attendee.stays.push({
			presence: stay.presence,
			joinedAt: stay.joinedAt.toISOString(),
			leftAt: stay.leftAt?.toISOString() ?? null
		});
		attendees.set(stay.participantId, attendee);
	}
	const lefts = stays.map((s) => s.leftAt);
	return {
		sessionId,
		scheduledFor: session.scheduledFor.toISOString(),
		startedAt: stays[0]?.joinedAt.toISOString() ?? null,
		endedAt:
			stays.length && lefts.every(Boolean)
				? new Date(Math.max(...lefts.map((left) => left!.getTime()))).toISOString()
				: null,
		mode: session.mode,
		place: session.place,
		caseNumber: session.caseNumber,
		disputeType: session.disputeType,
		facts: session.facts.length > FACTS_IN_SHORT ? `${session.facts.slice(0, FACTS_IN_SHORT)}…` : session.facts,
		mediators: participants.filter((p) => p.role === 'mediator' && !isRecorder(p.userId)).map((p) => p.name),
		recorder: recorder[0]?.name ?? null,
		attendees: [...attendees.values()]
	};
}
