import { and, eq, inArray } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { caseHoldsSession, type ParticipantRole, type SessionStatus } from '#shared/sessions.ts';
import { scheduleSessionSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import { applyTransition } from '../cases/transition-case.ts';
import type { Db } from '../db/client.ts';
import {
	caseExperts,
	caseMediators,
	caseParties,
	mediationSessions,
	sessionParticipants,
	users
} from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import type { Logger } from '../log.ts';
import { Secret } from '../notifications/secret.ts';
import { parseInput } from '../parse-input.ts';
import { listRecorders } from './list-recorders.ts';
import { newInvitation, type InvitationSecret } from './new-invitation.ts';
import { assertUpcoming, sessionInstant } from './session-time.ts';

/** An invitation as the mediator sees it once: who it is for, and the link token and PIN to pass on. */
export type IssuedInvitation = InvitationSecret & { participantId: string; displayName: string; role: ParticipantRole };

export type ScheduledSession = { sessionId: string; status: SessionStatus; invitations: IssuedInvitation[] };

/** Refuses ids that are not all among `found`, naming the field. */
function allFound(wanted: string[], found: { id: string }[], field: string): void {
	if (found.length !== new Set(wanted).size) throw new AppError('VALIDATION', { fields: { [field]: ['invalid'] } });
}

async function accountsOf(tx: Db, table: typeof caseMediators | typeof caseExperts, caseId: string, ids: string[]) {
	if (!ids.length) return [];
	return tx
		.select({ id: users.id, displayName: users.displayName })
		.from(table)
		.innerJoin(users, eq(users.id, table.userId))
		.where(and(eq(table.caseId, caseId), inArray(table.userId, ids), eq(users.active, true)));
}

/**
 * A mediator who may see the case schedules a session of it. The scheduler
 * takes part as a mediator; the case's other mediators and its legal experts
 * join with their accounts; each chosen party and each observer named gets an
 * invitation (link and PIN), returned here once and never again — a party
 * coming to the office too, as their PIN is what they sign with there. A
 * consultation waits for its expert to accept it. Scheduling the first
 * mediation of an accepted case moves the case to scheduled.
 */
export async function scheduleSession(
	app: { db: Db; log: Logger; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	now = new Date()
): Promise<ScheduledSession> {
	authorize(actor, 'sessions:schedule');
	const fields = parseInput(scheduleSessionSchema, input);
	const scheduledFor = sessionInstant(fields.scheduledFor, fields.utcOffset);
	assertUpcoming(scheduledFor, now);
	// Hashing PINs is slow on purpose: done before the case is locked.
	const invitations = await Promise.all(
		Array.from({ length: new Set(fields.partyIds).size + fields.observers.length }, () =>
			newInvitation(scheduledFor, now)
		)
	);

	const scheduled = await app.db.transaction(async (tx) => {
		const caseRow = await findVisibleCase(tx, actor, fields.caseId, true);
		if (!caseHoldsSession(caseRow.status, fields.kind)) throw new AppError('INVALID_TRANSITION');

		const parties = fields.partyIds.length
			? await tx
					.select({ id: caseParties.id, name: caseParties.name, userId: caseParties.userId })
					.from(caseParties)
					.where(and(eq(caseParties.caseId, caseRow.id), inArray(caseParties.id, fields.partyIds)))
			: [];
		allFound(fields.partyIds, parties, 'partyIds');
		const mediators = await accountsOf(tx, caseMediators, caseRow.id, fields.mediatorIds);
		allFound(fields.mediatorIds, mediators, 'mediatorIds');
		const experts = await accountsOf(tx, caseExperts, caseRow.id, fields.expertIds);
		allFound(fields.expertIds, experts, 'expertIds');
		// The recorder keeps a mediation's record: a member of the case's committee.
		const recorder = fields.recorderId
			? (await listRecorders(tx, caseRow.committeeId)).find((member) => member.id === fields.recorderId)
			: undefined;
		if (fields.recorderId && (!recorder || fields.kind !== 'mediation')) {
			throw new AppError('VALIDATION', { fields: { recorderId: ['invalid'] } });
		}

		const status: SessionStatus = fields.kind === 'consultation' ? 'requested' : 'scheduled';
		const [session] = await tx
			.insert(mediationSessions)
			.values({
				caseId: caseRow.id,
				kind: fields.kind,
				status,
				scheduledFor,
				mode: fields.mode,
				place: fields.place ?? null,
				title: fields.title ?? null,
				agenda: fields.agenda ?? null,
				recorderId: recorder?.id ?? null,
				createdById: actor.id,
				createdAt: now,
				updatedAt: now
			})
			.returning({ id: mediationSessions.id });

		const secrets = invitations.values();
		const invited = (role: ParticipantRole, displayName: string) => {
			const { secret, columns } = secrets.next().value!;
			return { row: { role, displayName, ...columns }, secret };
		};
		// The recorder joins on the committee's side of the room, as a mediator does.
		const accounts = [
			{ id: actor.id, displayName: actor.displayName },
			...[...mediators, ...(recorder ? [recorder] : [])].filter(
				(m, index, all) => m.id !== actor.id && all.findIndex((other) => other.id === m.id) === index
			)
		].map((m) => ({ role: 'mediator' as const, userId: m.id, displayName: m.displayName }));
		const guests = [
			...parties.map((party) => ({ ...invited('party', party.name), casePartyId: party.id, userId: party.userId })),
			...fields.observers.map((name) => ({ ...invited('observer', name), casePartyId: null, userId: null }))
		];
		const rows = await tx
			.insert(sessionParticipants)
			.values(
				[
					...accounts,
					...experts.map((e) => ({ role: 'legal_expert' as const, userId: e.id, displayName: e.displayName })),
					...guests.map(({ row, casePartyId, userId }) => ({ ...row, casePartyId, userId }))
				].map((participant) => ({ ...participant, sessionId: session.id }))
			)
			.returning({
				id: sessionParticipants.id,
				role: sessionParticipants.role,
				displayName: sessionParticipants.displayName,
				inviteTokenHash: sessionParticipants.inviteTokenHash
			});
		const secretOf = new Map(guests.map((guest) => [guest.row.inviteTokenHash, guest.secret]));

		await recordCaseEvent(tx, {
			caseId: caseRow.id,
			actorId: actor.id,
			action: 'session.scheduled',
			data: {
				sessionId: session.id,
				kind: fields.kind,
				mode: fields.mode,
				place: fields.place ?? null,
				startsAt: scheduledFor.toISOString(),
				recorderId: recorder?.id ?? null,
				participants: rows.map(({ id, role, displayName }) => ({ id, role, displayName }))
			},
			ip
		});
		if (fields.kind === 'mediation' && caseRow.status === 'accepted') {
			// The case page keeps the time as typed: a wall-clock time of the place.
			const typed = fields.scheduledFor.slice(0, 16);
			await applyTransition(
				tx,
				caseRow,
				{ transition: 'schedule', scheduledFor: typed },
				{ actorId: actor.id },
				ip,
				now
			);
		}
		return {
			sessionId: session.id,
			status,
			invitations: rows.flatMap(({ id, role, displayName, inviteTokenHash }) => {
				const secret = inviteTokenHash && secretOf.get(inviteTokenHash);
				return secret ? [{ participantId: id, displayName, role, ...secret }] : [];
			})
		};
	});
	app.log.info({ caseId: fields.caseId, sessionId: scheduled.sessionId, actorId: actor.id }, 'session scheduled');
	await app.events.emit('session.scheduled', {
		caseId: fields.caseId,
		sessionId: scheduled.sessionId,
		invitations: scheduled.invitations.map(({ participantId, token, pin }) => ({
			participantId,
			token: new Secret(token),
			pin: new Secret(pin)
		}))
	});
	return scheduled;
}
