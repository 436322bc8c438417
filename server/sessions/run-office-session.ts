import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { sessionOfCaseSchema } from '#shared/validation.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { parseInput } from '../parse-input.ts';
import { findCaseSession, findSessionHost } from './session-scope.ts';
import { endSession, markSessionLive } from './session-status.ts';

/**
 * The host of a session held wholly in the office starts or ends it from the case page: it has
 * no room whose first host would start it, and nobody joins from afar to be let go. Starting it
 * puts the case in mediation, as a room going live does. A hybrid session is run from its room.
 */
async function moveOfficeSession(
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null,
	move: typeof markSessionLive
): Promise<void> {
	authorize(actor, 'sessions:schedule');
	const { caseId, sessionId } = parseInput(sessionOfCaseSchema, input);
	const { caseRow, session } = await findCaseSession(app.db, actor, caseId, sessionId);
	const host = await findSessionHost(app.db, session.id, actor);
	if (session.mode !== 'in_person') throw new AppError('CONFLICT');
	const moved = await move(app, { ...session, caseNumber: caseRow.number }, host, ip);
	if (!moved) throw new AppError('CONFLICT');
}

export const startOfficeSession = (
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null
) => moveOfficeSession(app, actor, input, ip, markSessionLive);

export const endOfficeSession = (
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null
) => moveOfficeSession(app, actor, input, ip, endSession);
