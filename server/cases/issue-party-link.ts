import { and, eq } from 'drizzle-orm';
import { AppError } from '#shared/errors.ts';
import type { Actor } from '#shared/roles.ts';
import { partyLinkSchema } from '#shared/validation.ts';
import { recordCaseEvent } from '../audit/record-case-event.ts';
import { authorize } from '../auth/authorize.ts';
import type { Db } from '../db/client.ts';
import { caseParties } from '../db/schema.ts';
import type { DomainEvents } from '../events/domain-events.ts';
import { Secret } from '../notifications/secret.ts';
import { parseInput } from '../parse-input.ts';
import { findVisibleCase } from './case-scope.ts';
import { newTrackingToken } from './create-case.ts';

/**
 * Gives a party a new private tracking link (for a walk-in, a respondent, or
 * one who lost theirs); any earlier link of that party stops working.
 */
export async function issuePartyLink(
	app: { db: Db; events: DomainEvents },
	actor: Actor,
	input: unknown,
	ip: string | null
): Promise<string> {
	authorize(actor, 'cases:mediate');
	const { caseId, partyId } = parseInput(partyLinkSchema, input);
	const link = newTrackingToken();
	await app.db.transaction(async (tx) => {
		await findVisibleCase(tx, actor, caseId, true);
		const updated = await tx
			.update(caseParties)
			.set({ trackingTokenHash: link.hash, trackingToken: link.token })
			.where(and(eq(caseParties.id, partyId), eq(caseParties.caseId, caseId)))
			.returning({ id: caseParties.id });
		if (!updated.length) throw new AppError('VALIDATION', { fields: { partyId: ['invalid'] } });
		await recordCaseEvent(tx, { caseId, actorId: actor.id, action: 'party.link_issued', data: { partyId }, ip });
	});
	await app.events.emit('party.link_issued', { caseId, trackingToken: new Secret(link.token) });
	return link.token;
}
