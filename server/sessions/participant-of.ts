import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { JOINABLE_STATUSES, type ParticipantRole, type SessionKind, type SessionStatus } from '#shared/sessions.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import { trackingTokenHash } from '../cases/create-case.ts';
import type { Db } from '../db/client.ts';
import {
	caseMediators,
	caseParties,
	cases,
	mediationSessions,
	participantSessions,
	sessionParticipants
} from '../db/schema.ts';
import { isLinkToken } from './new-invitation.ts';

/** The cookie of someone admitted by invitation (link and PIN), who has no account. */
export const JOIN_COOKIE = 'tj_join';

/** Who asks to be in a session's room: a logged-in account, or the holder of a `tj_join` cookie. */
export type RoomIdentity = { actor: Actor } | { joinToken: string };

export type Participant = {
	id: string;
	sessionId: string;
	role: ParticipantRole;
	displayName: string;
	userId: string | null;
	casePartyId: string | null;
};

export type RoomSession = {
	id: string;
	caseId: string;
	caseNumber: string;
	kind: SessionKind;
	status: SessionStatus;
	scheduledFor: Date;
	title: string | null;
};

const participantColumns = {
	id: sessionParticipants.id,
	sessionId: sessionParticipants.sessionId,
	role: sessionParticipants.role,
	displayName: sessionParticipants.displayName,
	userId: sessionParticipants.userId,
	casePartyId: sessionParticipants.casePartyId
};

/**
 * What a join cookie admits while it is good: not expired, its invitation
 * not revoked (a reissue deletes the joins of the old one). Null otherwise.
 */
export async function findJoin(
	db: Db,
	joinToken: string,
	now = new Date()
): Promise<{ joinId: string; participantId: string; sessionId: string } | null> {
	if (!isLinkToken(joinToken)) return null;
	const [join] = await db
		.select({
			joinId: participantSessions.id,
			participantId: participantSessions.participantId,
			sessionId: sessionParticipants.sessionId
		})
		.from(participantSessions)
		.innerJoin(sessionParticipants, eq(sessionParticipants.id, participantSessions.participantId))
		.where(
			and(
				eq(participantSessions.id, trackingTokenHash(joinToken)),
				gt(participantSessions.expiresAt, now),
				isNull(sessionParticipants.revokedAt)
			)
		);
	return join ?? null;
}

/** The participant row of an account: listed by their user, or by the case party their account belongs to. */
async function listedAccount(db: Db, sessionId: string, actor: Actor): Promise<Participant | undefined> {
	const [row] = await db
		.select(participantColumns)
		.from(sessionParticipants)
		.leftJoin(caseParties, eq(caseParties.id, sessionParticipants.casePartyId))
		.where(
			and(
				eq(sessionParticipants.sessionId, sessionId),
				or(eq(sessionParticipants.userId, actor.id), eq(caseParties.userId, actor.id))
			)
		)
		.limit(1);
	return row;
}

/**
 * A mediator assigned to the case may join any of its mediations even when
 * the scheduler left them off the list (a colleague assigned later, a
 * stand-in): they are added to it as a mediator, so the list shows everyone
 * who was let in. Consultations admit only those on their list.
 */
async function assignedMediator(db: Db, session: RoomSession, actor: Actor): Promise<Participant | undefined> {
	if (session.kind !== 'mediation' || actor.role !== 'mediator') return undefined;
	const [assigned] = await db
		.select({ userId: caseMediators.userId })
		.from(caseMediators)
		.where(and(eq(caseMediators.caseId, session.caseId), eq(caseMediators.userId, actor.id)));
	if (!assigned) return undefined;
	if (!JOINABLE_STATUSES.includes(session.status)) throw new AppError('CONFLICT');
	await db
		.insert(sessionParticipants)
		.values({ sessionId: session.id, role: 'mediator', userId: actor.id, displayName: actor.displayName })
		.onConflictDoNothing();
	return listedAccount(db, session.id, actor);
}

/**
 * THE answer to "who is this in this session's room", for the room page and
 * the room's socket handlers alike:
 *
 * - an account is a participant when the list names them (or the case party
 *   their account belongs to); an assigned mediator of the case is also let
 *   into its mediations (see `assignedMediator`). Anyone else who may see the
 *   case is FORBIDDEN; one who may not is told NOT_FOUND, as for the case.
 * - a join cookie is UNAUTHENTICATED when it is unknown, expired or its
 *   invitation revoked, and FORBIDDEN for any session but its own.
 * - a session that is not (yet, or any longer) open — a consultation still
 *   waiting for its expert, a cancelled or ended one — is a CONFLICT, told
 *   only to its participants.
 */
export async function participantOf(
	db: Db,
	sessionId: string,
	identity: RoomIdentity,
	now = new Date()
): Promise<{ participant: Participant; session: RoomSession }> {
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sessionId))
		throw new AppError('NOT_FOUND');
	const [session] = await db
		.select({
			id: mediationSessions.id,
			caseId: mediationSessions.caseId,
			caseNumber: cases.number,
			kind: mediationSessions.kind,
			status: mediationSessions.status,
			scheduledFor: mediationSessions.scheduledFor,
			title: mediationSessions.title
		})
		.from(mediationSessions)
		.innerJoin(cases, eq(cases.id, mediationSessions.caseId))
		.where(eq(mediationSessions.id, sessionId));
	if (!session) throw new AppError('NOT_FOUND');

	let participant: Participant | undefined;
	if ('joinToken' in identity) {
		const join = await findJoin(db, identity.joinToken, now);
		if (!join) throw new AppError('UNAUTHENTICATED');
		if (join.sessionId !== session.id) throw new AppError('FORBIDDEN');
		[participant] = await db
			.select(participantColumns)
			.from(sessionParticipants)
			.where(eq(sessionParticipants.id, join.participantId));
	} else {
		await findVisibleCase(db, identity.actor, session.caseId);
		participant =
			(await listedAccount(db, session.id, identity.actor)) ?? (await assignedMediator(db, session, identity.actor));
		if (!participant) throw new AppError('FORBIDDEN');
	}
	if (!JOINABLE_STATUSES.includes(session.status)) throw new AppError('CONFLICT');
	return { participant, session };
}
