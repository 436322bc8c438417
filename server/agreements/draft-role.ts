import { eq } from 'drizzle-orm';
import type { DraftRole } from '#shared/agreement.ts';
import { AppError } from '#shared/errors.ts';
import { findVisibleCase } from '../cases/case-scope.ts';
import type { Db } from '../db/client.ts';
import { mediationSessions, sessionParticipants } from '../db/schema.ts';
import { findJoin, type RoomIdentity } from '../sessions/participant-of.ts';

/** Who writes, in the draft's records: an account or an invitation, and the name shown. */
export type DraftAuthor = { key: string; name: string };

/** Who acts on a draft, as its audit events record them: the author, their account if any, and their address. */
export type DraftActor = { author: DraftAuthor; userId: string | null; ip: string | null };

/**
 * Who someone is to a case's agreement draft. Accounts by the case they may see: its
 * committee's mediators run the draft, invited legal experts write, its parties suggest, admins
 * read; grid workers have no part in it. Someone invited to a session of the case without an
 * account is a party or an observer, as invited; an invitation to another case's session is
 * FORBIDDEN.
 */
export async function draftRoleOf(
	db: Db,
	identity: RoomIdentity,
	caseId: string
): Promise<{ role: DraftRole; author: DraftAuthor }> {
	if ('actor' in identity) {
		const { actor } = identity;
		await findVisibleCase(db, actor, caseId);
		const author = { key: `user:${actor.id}`, name: actor.displayName };
		if (actor.role === 'mediator') return { role: 'mediator', author };
		if (actor.role === 'legal_expert') return { role: 'expert', author };
		if (actor.role === 'party') return { role: 'party', author };
		if (actor.role === 'admin') return { role: 'reader', author };
		throw new AppError('FORBIDDEN');
	}
	const join = await findJoin(db, identity.joinToken);
	if (!join) throw new AppError('UNAUTHENTICATED');
	const [participant] = await db
		.select({
			id: sessionParticipants.id,
			role: sessionParticipants.role,
			name: sessionParticipants.displayName,
			caseId: mediationSessions.caseId
		})
		.from(sessionParticipants)
		.innerJoin(mediationSessions, eq(mediationSessions.id, sessionParticipants.sessionId))
		.where(eq(sessionParticipants.id, join.participantId));
	if (!participant || participant.caseId !== caseId) throw new AppError('FORBIDDEN');
	const author = { key: `participant:${participant.id}`, name: participant.name };
	return { role: participant.role === 'party' ? 'party' : 'reader', author };
}
