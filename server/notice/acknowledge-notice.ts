import { AppError } from '#shared/errors.ts';
import { acknowledgeNoticeSchema, type AcknowledgementWay, type SessionChoice } from '#shared/notice.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import type { Db } from '../db/client.ts';
import { noticeAcknowledgements } from '../db/schema.ts';
import { parseInput } from '../parse-input.ts';
import type { Participant, RoomIdentity, RoomSession } from '../sessions/participant-of.ts';
import { noticeForCase } from './current-notice.ts';

export type Acknowledgement = {
	caseId: string;
	casePartyId: string;
	/** The hash of the version the party read: it must be the one in force. */
	sha256: string;
	sessionChoice: SessionChoice;
	via: AcknowledgementWay;
	/** Who acted in the audit log: the account, or the name of someone invited. */
	actor: { actorId: string } | { actorLabel: string };
	/** The drawn signature, PNG: on site only. */
	signature?: Buffer;
	ip: string | null;
};

/**
 * Keeps an acknowledgement of the notice in force for the case, and its audit event (the version,
 * its SHA-256, the choice and the address), in one transaction. CONFLICT when the party read a
 * version that is no longer the one in force: they are to read the new one.
 */
export async function storeAcknowledgement(db: Db, ack: Acknowledgement) {
	return db.transaction(async (tx) => {
		const notice = await noticeForCase(tx, ack.caseId);
		if (notice.sha256 !== ack.sha256) throw new AppError('CONFLICT');
		const [row] = await tx
			.insert(noticeAcknowledgements)
			.values({
				caseId: ack.caseId,
				casePartyId: ack.casePartyId,
				committeeId: notice.committeeId,
				version: notice.version,
				sha256: notice.sha256,
				sessionChoice: ack.sessionChoice,
				via: ack.via,
				recordedById: 'actorId' in ack.actor ? ack.actor.actorId : null,
				signature: ack.signature,
				ip: ack.ip
			})
			.returning({ id: noticeAcknowledgements.id, acknowledgedAt: noticeAcknowledgements.acknowledgedAt });
		await recordCaseEvent(tx, {
			...ack.actor,
			caseId: ack.caseId,
			action: ack.via === 'on_site' ? 'notice.acknowledged_on_site' : 'notice.acknowledged',
			data: {
				partyId: ack.casePartyId,
				version: notice.version,
				sha256: notice.sha256,
				sessionChoice: ack.sessionChoice,
				via: ack.via
			},
			ip: ack.ip
		});
		return { version: notice.version, acknowledgedAt: row.acknowledgedAt };
	});
}

/**
 * A party of a mediation acknowledges the notice on their own device, signed in or by
 * invitation, before being let into the joint space; only parties of the case acknowledge.
 */
export async function acknowledgeNotice(
	app: { db: Db },
	{ participant, session }: { participant: Participant; session: RoomSession },
	identity: RoomIdentity,
	input: unknown,
	ip: string | null
) {
	if (participant.role !== 'party' || !participant.casePartyId) throw new AppError('FORBIDDEN');
	const { sha256, sessionChoice } = parseInput(acknowledgeNoticeSchema, input);
	const byAccount = 'actor' in identity;
	return storeAcknowledgement(app.db, {
		caseId: session.caseId,
		casePartyId: participant.casePartyId,
		sha256,
		sessionChoice,
		via: byAccount ? 'account' : 'invitation',
		actor: byAccount ? { actorId: identity.actor.id } : { actorLabel: participant.displayName },
		ip
	});
}
