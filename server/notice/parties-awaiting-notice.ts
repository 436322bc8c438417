import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { noticeAcknowledgements, sessionParticipants } from '../db/schema.ts';
import type { RoomSession } from '../sessions/participant-of.ts';
import { noticeForCase } from './current-notice.ts';

/**
 * The participants of a mediation who are parties and have not acknowledged the version of the
 * notice now in force (2002 Rules art. 30): they wait in the lobby until they do. An
 * acknowledgement of an earlier text does not count. Consultations ask for none.
 */
export async function partiesAwaitingNotice(db: Db, session: Pick<RoomSession, 'id' | 'caseId' | 'kind'>) {
	if (session.kind !== 'mediation') return new Set<string>();
	const [parties, notice] = await Promise.all([
		db
			.select({ id: sessionParticipants.id, casePartyId: sessionParticipants.casePartyId })
			.from(sessionParticipants)
			.where(and(eq(sessionParticipants.sessionId, session.id), eq(sessionParticipants.role, 'party'))),
		noticeForCase(db, session.caseId)
	]);
	const acknowledged = await db
		.selectDistinct({ casePartyId: noticeAcknowledgements.casePartyId })
		.from(noticeAcknowledgements)
		.where(and(eq(noticeAcknowledgements.caseId, session.caseId), eq(noticeAcknowledgements.sha256, notice.sha256)));
	const done = new Set(acknowledged.map((row) => row.casePartyId));
	return new Set(parties.filter((party) => !party.casePartyId || !done.has(party.casePartyId)).map((p) => p.id));
}
